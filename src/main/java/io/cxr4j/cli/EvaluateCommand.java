package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.Sample;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.eval.Metrics;
import io.cxr4j.eval.ClassificationEvaluation;
import io.cxr4j.jobs.EvaluateJob;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a classifier on a dataset: metrics.json, classification_report.txt, confusion_matrix.png,",
                "roc.png, calibration.png, predictions.csv and a self-contained report.html with error analysis.",
                "--split test uses the model's own held-out patients; --split all every usable image (for a collection",
                "the model never saw). Research tool, not a diagnostic device."})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "Classifier folder (default: the shipped models/classifier).")
    Path modelDir;

    @Parameters(arity = "1..*", paramLabel = "DATASET", description = {"One or more labelled collections: V7/Darwin folders,",
            "images/ + metadata.csv, or class folders (healthy/, covid19/, ..., pneumonia/ for type unknown). Films",
            "without polygons get their lung masks from the segmenter."})
    List<Path> datasets;

    @Mixin
    MaskCacheOptions maskCacheOptions;

    @Option(names = "--split", defaultValue = "test", description = {"test (the model's held-out patients), all (every usable image,",
            "for a collection the model never saw) or val (for choices such as test-time augmentation) (default ${DEFAULT-VALUE})."})
    String split;

    @Option(names = "--out", required = true, paramLabel = "REPORT_DIR")
    Path out;

    @Option(names = "--tta", description = "Override the model's test-time augmentation views (default: as in model.json).")
    Integer tta;

    @Option(names = "--masks", defaultValue = "annotation", description = {"Lung masks from the annotation (polygons, else V7 mask)",
            "or predicted by the segmenter; with 'predicted' the annotation figure is computed too, for comparison."})
    String masks;

    @Option(names = "--segmenter", paramLabel = "SEG_DIR", description = {"Segmenter for --masks predicted (default: the shipped one);",
            "given with --masks annotation, the predicted-mask figure is added for comparison."})
    Path segmenter;

    @Option(names = "--heat-sample", defaultValue = "200", paramLabel = "N", description = {"Films (a fixed random sample) whose",
            "Grad-CAM heat gives metrics.json's heat_maps shares inside the lungs and on their outer band; 0: none",
            "(default ${DEFAULT-VALUE})."})
    int heatSample;

    @Mixin
    BrisqueFilter brisque;

    @Mixin
    InputCheckOptions inputCheck;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("all") && !split.equals("val")) throw new UserError("--split must be test, val or all");
        if (!masks.equals("annotation") && !masks.equals("predicted")) throw new UserError("--masks must be annotation or predicted");
        if (heatSample < 0) throw new UserError("--heat-sample must be 0 or more");
        if (modelDir == null) modelDir = Models.shipped("classifier");
        for (Path d : datasets) MaskCommand.checkOutput(d, out);
        Dataset ds = CommonOptions.scan(datasets);
        String dataset = datasets.size() == 1 ? datasets.get(0).toString() : ds.name();
        List<Sample> samples = ds.withTargets();
        if (!split.equals("all")) samples = CommonOptions.part(modelDir, samples, Path.of(dataset), PatientSplit.Part.of(split));
        samples = brisque.apply(samples, common.threads(), System.err);
        if (samples.isEmpty()) {
            common.report(System.err, ds.problems(), List.of());
            throw new UserError(dataset + ": no labelled image (labels come from metadata.csv, the annotations' tags or class folders)");
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (brisque.active()) extra.put("brisque_filter", brisque.json());
        Object folders = ds.roots().size() == 1 ? ds.root().toAbsolutePath().normalize().toString()
                : ds.roots().stream().map(r -> r.toAbsolutePath().normalize().toString()).toList();
        EvaluateJob.Settings settings = new EvaluateJob.Settings(modelDir, tta, split, masks, segmenter != null, Models.segmenter(segmenter),
                common.threads(), inputCheck.dir(), heatSample);
        EvaluateJob.Result r;
        try {
            r = EvaluateJob.run(settings, samples, dataset, () -> CommonOptions.segmenter(segmenter), maskCacheOptions::cache, extra, folders, out);
        } catch (BadInputException e) {
            throw new UserError(e.getMessage(), e);
        }
        common.report(System.err, ds.problems(), r.failures());
        if (r.evaluation() == null) throw new UserError("no image could be evaluated");
        print(r, out);
        int skipped = r.failures().size() + ds.problems().size();
        return ExitCodes.of(r.evaluation().predictions().size(), skipped);
    }

    /** What evaluate prints: the per-source table, the classification report, the shortcut line, where the report is. */
    static void print(EvaluateJob.Result r, Path out) {
        ClassificationEvaluation ev = r.evaluation();
        System.out.print(ev.sources().text());
        System.out.println();
        System.out.print(Metrics.report(ev.metrics()));
        System.out.println(shortcutLine(ev.shortcut()));
        r.byMasks().forEach((k, v) -> System.out.printf(Locale.ROOT, "lung masks %s: accuracy %.3f, macro F1 %.3f (n=%d)%n", k, v.accuracy(),
                v.macroF1(), v.n()));
        System.out.println("report: " + out.resolve("report.html").toAbsolutePath().normalize());
        System.out.println(ModelCard.DISCLAIMER);
    }

    @SuppressWarnings("unchecked")
    static String shortcutLine(Map<String, Object> shortcut) {
        StringBuilder sb = new StringBuilder("non-COVID images called COVID-19:");
        for (var e : shortcut.entrySet()) {
            Map<String, Object> v = (Map<String, Object>) e.getValue();
            sb.append(String.format(Locale.ROOT, " %s %s/%s%s;", e.getKey(), v.get("called_covid19"), v.get("non_covid"),
                    Boolean.TRUE.equals(v.get("source_has_covid19_images")) ? " (adult source with COVID-19 images)" : ""));
        }
        return sb.toString();
    }

}
