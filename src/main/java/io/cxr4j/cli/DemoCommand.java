package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.data.Sample;
import io.cxr4j.jobs.EvaluateJob;
import io.cxr4j.jobs.InspectJob;
import io.cxr4j.jobs.MaskJob;
import io.cxr4j.jobs.TrainJob;
import io.cxr4j.mask.LungCrop;
import io.cxr4j.prep.MaskPlan;
import io.cxr4j.quality.Quality;
import io.cxr4j.synth.Phantoms;
import io.cxr4j.train.ClassifierTrainer;
import io.cxr4j.train.TrainOptions;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job end to end on an embedded default: make a SYNTHETIC phantom dataset (or use --data),",
                "inspect it, mask it, train a small classifier briefly, evaluate it and write the HTML report",
                "(about two minutes on two cores). Prints where the report is."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "cxr-demo", paramLabel = "DIR", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data", paramLabel = "DATASET", description = "Run on this dataset instead of synthetic phantoms.")
    Path data;

    @Option(names = "--n", defaultValue = "240", description = "Number of synthetic images (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--epochs", defaultValue = "15", description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--image-size", defaultValue = "96", description = "Model input size (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        Path dataset = data;
        if (dataset == null) {
            dataset = out.resolve("data");
            if (!Files.isDirectory(dataset.resolve("images"))) {
                System.out.println("[1/5] writing " + n + " SYNTHETIC phantom images to " + dataset);
                Phantoms.writeDataset(dataset, n, 256, 7);
            } else {
                System.out.println("[1/5] reusing the synthetic dataset in " + dataset);
            }
        } else {
            System.out.println("[1/5] dataset " + dataset);
        }
        if (imageSize < 32 || imageSize > 1024) throw new UserError("--image-size must be between 32 and 1024");
        if (epochs < 1) throw new UserError("--epochs must be at least 1");
        int threads = common.threads();
        System.out.println("[2/5] inspect");
        Dataset scanned = CommonOptions.scan(dataset, null);
        InspectJob.Result inspected = InspectCommand.inspect(scanned, Quality.Thresholds.DEFAULT, false, null, threads);
        System.out.print(InspectCommand.render(inspected.summary()));
        common.report(System.err, scanned.problems(), inspected.failures());
        InspectJob.writeJson(inspected, out.resolve("inspect.json"));
        int rc = ExitCodes.of(inspected.infos().size(), inspected.failures().size() + scanned.problems().size());
        if (rc == ExitCodes.FAILED) return rc;

        System.out.println("[3/5] mask: polygons -> lung masks -> bitwise AND -> lung crop, with overlays");
        Path masked = out.resolve("masked");
        MaskCommand.checkOutput(dataset, masked);
        MaskJob.Result m = MaskJob.run(new MaskJob.Settings(MaskSource.AUTO, new LungCrop(true, 0.05, 224), true, false, threads),
                scanned.samples(), masked);
        common.report(System.err, scanned.problems(), m.failures());
        int skipped = m.failures().size() + scanned.problems().size();
        MaskCommand.printDone(m, skipped, masked);
        rc = Math.max(rc, ExitCodes.of(m.done(), skipped));

        Path model = out.resolve("model");
        if (Files.exists(model.resolve("model.json"))) {
            System.out.println("[4/5] reusing the model in " + model + " (delete it to train again)");
        } else {
            System.out.println("[4/5] train a small classifier for " + epochs + " epochs");
            rc = Math.max(rc, train(dataset, model, threads));
        }

        System.out.println("[5/5] evaluate on the held-out patients and write the report");
        Path report = out.resolve("report");
        rc = Math.max(rc, evaluate(dataset, model, report, threads));
        System.out.println();
        System.out.println("report: " + report.resolve("report.html").toAbsolutePath().normalize());
        System.out.println("masks and overlays: " + masked.toAbsolutePath().normalize());
        if (data == null) System.out.println("(synthetic phantoms, not X-rays: the numbers only show that the pipeline works)");
        System.out.println("Research tool, not a diagnostic device.");
        return rc;
    }

    /** A small classifier (16 channels, three stages) on annotation masks, logged to MODEL/train.log as {@code cxr train} logs. */
    private int train(Path dataset, Path model, int threads) throws Exception {
        TrainOptions d = TrainOptions.defaults();
        TrainOptions opt = d.toBuilder().epochs(epochs).imageSize(imageSize).maskMode("masked").batchSize(16).learningRate(3e-3).width(16)
                .blocks(List.of(1, 1, 1)).augment(d.augment().withOutlineJitter(d.augment().outlineJitter()).withStyle(0)).members(1).build();
        Dataset ds = CommonOptions.scan(List.of(dataset));
        common.report(System.err, ds.problems(), List.of());
        try (PrintStream log = TrainJob.log(model, TrainJob.commandLine("train", List.of(dataset), model))) {
            TrainJob.Settings settings = new TrainJob.Settings(model, opt, MaskPlan.Mode.ANNOTATION, MaskSource.AUTO, false,
                    common.trainingThreads(16, log), null, null, false, Map.of());
            ClassifierTrainer.Outcome o;
            try {
                o = TrainJob.run(settings, ds, () -> Models.segmenter(null), () -> CommonOptions.segmenter(null),
                        () -> new MaskCacheOptions().cache(), log);
            } catch (BadInputException e) {
                throw new UserError(model + ": " + e.getMessage(), e);
            }
            log.printf(Locale.ROOT, "trained in %.1f min; model in %s. Research tool, not a diagnostic device.%n",
                    o.seconds() / 60, model.toAbsolutePath().normalize());
        }
        return ds.problems().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    /** The model on its own held-out patients, with annotation masks: the report folder {@code cxr evaluate} writes. */
    private int evaluate(Path dataset, Path model, Path report, int threads) throws Exception {
        MaskCommand.checkOutput(dataset, report);
        Dataset ds = CommonOptions.scan(List.of(dataset));
        List<Sample> samples = CommonOptions.part(model, ds.withTargets(), dataset, PatientSplit.Part.TEST);
        Object folders = ds.root().toAbsolutePath().normalize().toString();
        EvaluateJob.Settings settings = new EvaluateJob.Settings(model, null, "test", "annotation", false, Models.segmenter(null), threads,
                null, 200); // synthetic phantoms are not films: no input check
        EvaluateJob.Result r;
        try {
            r = EvaluateJob.run(settings, samples, dataset.toString(), () -> CommonOptions.segmenter(null), () -> new MaskCacheOptions().cache(),
                    Map.of(), folders, report);
        } catch (BadInputException e) {
            throw new UserError(e.getMessage(), e);
        }
        common.report(System.err, ds.problems(), r.failures());
        if (r.evaluation() == null) throw new UserError("no image could be evaluated");
        EvaluateCommand.print(r, report);
        return ExitCodes.of(r.evaluation().predictions().size(), r.failures().size() + ds.problems().size());
    }
}
