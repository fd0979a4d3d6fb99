package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.jobs.TrainJob;
import io.cxr4j.train.SegmenterTrainer;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train-segmenter", mixinStandardHelpOptions = true,
        description = {"Train the lung segmenter (a U-Net sized for a 2-core CPU) from scratch on the dataset's lung masks",
                "(Ignore regions are not lung), with the classifier's patient-level splitter and seed, Dice + cross-entropy",
                "loss, augmentation, per-epoch checkpoints (--resume), progress and curves."})
public final class TrainSegmenterCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATASET", description = {"One or more dataset folders; only films with lung polygons",
            "or V7 masks train the segmenter (the others are counted and left out)."})
    List<Path> datasets;

    @Option(names = "--out", required = true, paramLabel = "SEG_DIR")
    Path out;

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs = SegmenterTrainer.Options.defaults().epochs();

    @Option(names = "--image-size", description = "Network input side, divisible by 2^(levels+1) (default ${DEFAULT-VALUE}).")
    int imageSize = SegmenterTrainer.Options.defaults().imageSize();

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}; the classifier's default, so both share test patients).")
    long seed = SegmenterTrainer.Options.defaults().seed();

    @Option(names = "--init-seed", paramLabel = "S",
            description = "Seed of the initial weights and the order of training images (default: --seed); --seed alone fixes the split, "
                    + "so runs that differ only here train members of an ensemble on the same patients.")
    Long initSeed;

    @Option(names = "--width", description = "Channels at the first U-Net level (default ${DEFAULT-VALUE}).")
    int width = SegmenterTrainer.Options.defaults().width();

    @Option(names = "--levels", description = "U-Net levels (default ${DEFAULT-VALUE}).")
    int levels = SegmenterTrainer.Options.defaults().levels();

    @Option(names = "--batch-size", description = "Images per step (default ${DEFAULT-VALUE}).")
    int batchSize = SegmenterTrainer.Options.defaults().batchSize();

    @Option(names = "--resume", description = "Continue the interrupted run in SEG_DIR.")
    boolean resume;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        int div = 1 << (levels + 1);
        if (imageSize < div || imageSize % div != 0) throw new UserError("--image-size must be a multiple of " + div + " for " + levels + " levels");
        SegmenterTrainer.Options d = SegmenterTrainer.Options.defaults();
        SegmenterTrainer.Options opt = new SegmenterTrainer.Options(epochs, imageSize, seed, width, levels, batchSize, d.learningRate(),
                d.weightDecay(), d.warmupEpochs(), d.valFraction(), d.testFraction(), d.augment(), d.emaDecay(), initSeed);
        Dataset ds = CommonOptions.scan(datasets);
        common.report(System.err, ds.problems(), List.of());
        try (PrintStream log = TrainJob.log(out, TrainJob.commandLine("train-segmenter", datasets, out)
                + (initSeed != null ? " --init-seed " + initSeed : "") + (resume ? " --resume" : ""))) {
            SegmenterTrainer.Outcome o;
            try {
                o = new SegmenterTrainer(out, log, common.trainingThreads(width, log)).train(ds, opt, resume);
            } catch (BadInputException e) {
                throw new UserError(out + ": " + e.getMessage(), e);
            }
            log.printf(Locale.ROOT, "trained in %.1f min; segmenter in %s%n", o.seconds() / 60, out.toAbsolutePath().normalize());
        }
        return ds.problems().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

}
