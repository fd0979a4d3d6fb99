package io.cxr4j.cli;

import io.cxr4j.check.CheckCard;
import io.cxr4j.check.CheckTrainer;
import io.cxr4j.check.NotFrontalSet;
import io.cxr4j.data.Csv;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.data.Sample;
import io.cxr4j.engine.Net;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "train-input-check", mixinStandardHelpOptions = true,
        description = {"Train the input check that refuses what is not a frontal chest X-ray (docs/input-check.md): a small",
                "network over the whole film at 64 px that tells frontal films from turned, inverted, lateral, CT, partial and",
                "non-radiograph pictures, with thresholds chosen on the validation films of --split. MODEL_DIR gets model.json,",
                "check.params, not-frontal-split.csv and train.log. Resumable with --resume."})
public final class TrainInputCheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "Collections of frontal films (e.g. ../shared/datasets/v7-cxr ../shared/datasets/adult-cxr).")
    List<Path> datasets;

    @Option(names = "--not-frontal", required = true, paramLabel = "DIR", description = "Real images that are not frontal films (../shared/datasets/not-frontal).")
    Path notFrontal;

    @Option(names = "--split", paramLabel = "SPLIT_CSV", description = "Which films train and which choose thresholds (default: the shipped classifier's split.csv), so the classifier's test patients stay unseen.")
    Path split;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR")
    Path out;

    @Option(names = "--epochs", defaultValue = "8", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--steps", defaultValue = "150", description = "Batches per epoch (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--not-frontal-train", defaultValue = "0.6", description = "Share of the not-frontal patients used for training; the rest are held out (default ${DEFAULT-VALUE}).")
    double nfShare;

    @Option(names = "--segmenter", paramLabel = "SEG_DIR", description = "Segmenter whose lung shapes set the lung-shape limits (default: the shipped one).")
    Path segmenter;

    @Option(names = "--resume", description = "Continue an interrupted run in MODEL_DIR.")
    boolean resume;

    @Mixin
    MaskCacheOptions maskCacheOptions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (split == null) split = Models.shipped("classifier").resolve("split.csv");
        Dataset ds = CommonOptions.scan(datasets);
        PatientSplit ps;
        List<NotFrontalSet.Item> nf;
        try {
            ps = PatientSplit.read(split);
            nf = NotFrontalSet.read(notFrontal, nfShare);
        } catch (BadInputException e) {
            throw new UserError(e.getMessage(), e);
        }
        List<Sample> all = ds.withTargets();
        List<Sample> train = ps.select(all, PatientSplit.Part.TRAIN), val = ps.select(all, PatientSplit.Part.VAL);
        if (train.isEmpty() || val.isEmpty()) throw new UserError(split + ": no train or val films of " + ds.name());
        List<CheckTrainer.Negative> negatives = new ArrayList<>();
        StringBuilder csv = new StringBuilder("file,kind,patient_id,split\n");
        for (NotFrontalSet.Item it : nf) {
            if (it.train()) negatives.add(new CheckTrainer.Negative(it.file(), it.kind()));
            csv.append(Csv.line(it.file().getFileName().toString(), it.kind().id, it.patient(), it.train() ? "train" : "test")).append('\n');
        }
        java.nio.file.Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("not-frontal-split.csv"), csv.toString());
        Net.configureThreads(1);
        CheckTrainer.Options o = new CheckTrainer.Options(64, 16, epochs, steps, 64, 2e-3, seed, common.threads());
        try (LungSegmenter seg = CommonOptions.segmenter(segmenter)) {
            CheckCard card = new CheckTrainer(System.out).train(train, val, negatives, seg.provider(maskCacheOptions.cache()), out, o, resume);
            System.out.printf(java.util.Locale.ROOT, "accept p(frontal) >= %.4f; written to %s%n", card.accept(), out.resolve(CheckCard.FILE));
        }
        return 0;
    }
}
