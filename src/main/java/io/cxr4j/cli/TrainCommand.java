package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.jobs.TrainJob;
import io.cxr4j.prep.MaskPlan;
import io.cxr4j.prep.Augment;
import io.cxr4j.train.ClassifierTrainer;
import io.cxr4j.train.TrainOptions;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the 4-class classifier (bacterial pneumonia, healthy, viral pneumonia, COVID-19) from scratch",
                "on lung-masked crops, with a patient-level split. A checkpoint is written after every epoch;",
                "--resume continues an interrupted run. MODEL_DIR gets the model, model.json, provenance.json,",
                "val/test metrics, training_curves.png and train.log. Research tool, not a diagnostic device."})
public final class TrainCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATASET", description = {"One or more dataset folders, read as one collection",
            "(e.g. ../shared/datasets/v7-cxr ../shared/datasets/adult-cxr)."})
    List<Path> datasets;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR")
    Path out;

    @Option(names = "--epochs", description = "Maximum epochs (default ${DEFAULT-VALUE}); early stopping may end sooner.")
    int epochs = TrainOptions.defaults().epochs();

    @Option(names = "--image-size", description = "Input side in pixels (default ${DEFAULT-VALUE}).")
    int imageSize = TrainOptions.defaults().imageSize();

    @Option(names = "--seed", description = "Seed for the split, initialisation and augmentation (default ${DEFAULT-VALUE}).")
    long seed = TrainOptions.defaults().seed();

    @Option(names = "--lungs-only", description = {"Keep only the lungs, as the original work did (the film ANDed with its lung mask,",
            "cropped to the lungs); the default is the whole film, which calls far fewer adult non-COVID films",
            "COVID-19 on patients it never saw (docs/model.md, the masking ablation)."})
    boolean lungsOnly;

    @Option(names = "--no-mask", description = "Train on the whole film: the default now; kept so that scripts which say it still run.")
    boolean noMask;

    @Option(names = "--resume", description = "Continue the interrupted run in MODEL_DIR.")
    boolean resume;

    @Option(names = "--batch-size", description = "Images per step (default ${DEFAULT-VALUE}).")
    int batchSize = TrainOptions.defaults().batchSize();

    @Option(names = "--lr", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    double lr = TrainOptions.defaults().learningRate();

    @Option(names = "--width", description = "Channels of the first stage (default ${DEFAULT-VALUE}).")
    int width = TrainOptions.defaults().width();

    @Option(names = "--blocks", split = ",", description = "Residual blocks per stage (default 1,1,2,2).")
    List<Integer> blocks = TrainOptions.defaults().blocks();

    @Option(names = "--patience", description = "Early-stopping patience in epochs (default ${DEFAULT-VALUE}).")
    int patience = TrainOptions.defaults().patience();

    @Option(names = "--label-smoothing", description = "Label smoothing (default ${DEFAULT-VALUE}).")
    double labelSmoothing = TrainOptions.defaults().labelSmoothing();

    @Option(names = "--val", description = "Validation fraction (default ${DEFAULT-VALUE}).")
    double val = TrainOptions.defaults().valFraction();

    @Option(names = "--test", description = "Test fraction (default ${DEFAULT-VALUE}).")
    double test = TrainOptions.defaults().testFraction();

    @Option(names = "--tta", description = "Test-time augmentation views added at prediction (default ${DEFAULT-VALUE}).")
    int tta = TrainOptions.defaults().tta();

    @Option(names = "--ema", description = "Decay of the exponential moving average of the weights that is evaluated and kept (0 = off; default ${DEFAULT-VALUE}).")
    double ema = TrainOptions.defaults().emaDecay();

    @Option(names = "--ensemble", description = "Train this many members (seeds S, S+1, ...) and average them (default ${DEFAULT-VALUE}).")
    int ensemble = 1;

    @Option(names = "--source-balance", description = {"Within each class, weight images of a rare source (e.g. adult non-COVID",
            "images) up to this many times more, so that the source cannot stand in for the class (1 = off; default ${DEFAULT-VALUE})."})
    double sourceBalance = TrainOptions.defaults().sourceBalanceCap();

    @Option(names = "--outline-jitter", paramLabel = "F", description = {"Grow or shrink the lung region at random by up to F of the",
            "input side (e.g. 0.015), so the outline's exact course is not a feature (default ${DEFAULT-VALUE}: off)."})
    double outlineJitter = TrainOptions.defaults().augment().outlineJitter();

    @Option(names = "--style-augment", paramLabel = "P", description = {"Probability of each hospital-style change (blur or",
            "sharpening, lower resolution, grain) per training image, so a collection's look cannot stand in for a class",
            "(default ${DEFAULT-VALUE}: off)."})
    double styleAugment = 0;

    @Option(names = "--split-from", paramLabel = "SPLIT_CSV", description = {"Keep the parts of an earlier split.csv for the patients",
            "it has (e.g. models/lung-segmenter/split.csv) and split only the others, so figures stay comparable."})
    Path splitFrom;

    @Option(names = "--split-unit", paramLabel = "UNIT", description = {"patient (default) or image: with image, --split-from's parts are",
            "kept file by file, so one patient's films may be in train and test, as in the original work. Only for",
            "measuring that leak (docs/model.md); never for a model you ship."})
    String splitUnit = "patient";

    @Mixin
    MaskCacheOptions maskCacheOptions;

    @Option(names = "--no-augment", description = "Turn augmentation off.")
    boolean noAugment;

    @Option(names = "--mask-source", defaultValue = "auto", description = "auto, annotation or mask (default ${DEFAULT-VALUE}).")
    String maskSource;

    @Option(names = "--masks", defaultValue = "annotation", description = {"annotation: masks from the polygons / V7 masks (films",
            "without them get the segmenter's);",
            "predicted: masks from the lung segmenter (--segmenter), as new images will get them;",
            "mixed: each step takes one of the two at random, so one model serves annotated and new images."})
    String masks;

    @Option(names = "--segmenter", paramLabel = "SEG_DIR", description = "Segmenter for --masks predicted or mixed (default: the shipped one).")
    Path segmenter;

    @Mixin
    BrisqueFilter brisque;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (imageSize < 32 || imageSize > 1024) throw new UserError("--image-size must be between 32 and 1024");
        if (epochs < 1) throw new UserError("--epochs must be at least 1");
        MaskSource source = MaskCommand.parseSource(maskSource);
        if (styleAugment < 0 || styleAugment > 1) throw new UserError("--style-augment must be between 0 and 1");
        MaskPlan.Mode mode = switch (masks) {
            case "annotation" -> MaskPlan.Mode.ANNOTATION;
            case "predicted" -> MaskPlan.Mode.PREDICTED;
            case "mixed" -> MaskPlan.Mode.MIXED;
            default -> throw new UserError("--masks must be annotation, predicted or mixed");
        };
        if (lungsOnly && noMask) throw new UserError("--lungs-only and --no-mask contradict each other: give one");
        TrainOptions d = TrainOptions.defaults();
        Augment augment = noAugment ? Augment.NONE : d.augment().withOutlineJitter(outlineJitter).withStyle(styleAugment);
        TrainOptions opt = d.toBuilder().epochs(epochs).imageSize(imageSize).seed(seed).maskMode(lungsOnly ? "masked" : "whole")
                .batchSize(batchSize).learningRate(lr).labelSmoothing(labelSmoothing).patience(patience).valFraction(val).testFraction(test)
                .width(width).blocks(blocks).augment(augment).tta(tta).emaDecay(ema).members(ensemble).sourceBalanceCap(sourceBalance).build();
        Dataset ds = CommonOptions.scan(datasets);
        common.report(System.err, ds.problems(), List.of());
        ds = brisque.apply(ds, common.threads(), System.err);
        PatientSplit prior = null;
        if (!splitUnit.equals("patient") && !splitUnit.equals("image")) throw new UserError("--split-unit: patient or image, not " + splitUnit);
        if (splitUnit.equals("image") && splitFrom == null) throw new UserError("--split-unit image needs --split-from (the image-level split to keep)");
        if (splitFrom != null && !resume) {
            try {
                prior = PatientSplit.read(splitFrom);
            } catch (BadInputException e) {
                throw new UserError(splitFrom + ": " + e.getMessage(), e);
            }
        }
        Map<String, Object> provenance = brisque.active() ? Map.of("brisque_filter", brisque.json()) : Map.of();
        try (PrintStream log = TrainJob.log(out, TrainJob.commandLine("train", datasets, out) + (resume ? " --resume" : ""))) {
            TrainJob.Settings settings = new TrainJob.Settings(out, opt, mode, source, resume, common.trainingThreads(width, log), prior,
                    splitFrom == null ? null : splitFrom.toString(), splitUnit.equals("image"), provenance);
            ClassifierTrainer.Outcome o;
            try {
                o = TrainJob.run(settings, ds, () -> Models.segmenter(segmenter), () -> CommonOptions.segmenter(segmenter),
                        maskCacheOptions::cache, log);
            } catch (BadInputException e) {
                throw new UserError(out + ": " + e.getMessage(), e);
            }
            log.printf(Locale.ROOT, "trained in %.1f min; model in %s. Research tool, not a diagnostic device.%n",
                    o.seconds() / 60, out.toAbsolutePath().normalize());
        }
        return ds.problems().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }
}
