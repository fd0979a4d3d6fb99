package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.analysis.DatasetScoring;
import io.cxr4j.audit.HeatSurvey;
import io.cxr4j.eval.ClassifierEvaluation;
import io.cxr4j.eval.Metrics;
import io.cxr4j.eval.SourceTable;
import io.cxr4j.eval.ClassificationEvaluation;
import io.cxr4j.report.EvaluationFiles;
import io.cxr4j.prep.MaskPlan;
import io.cxr4j.segment.MaskCache;
import io.cxr4j.model.Classifier;
import io.cxr4j.prep.MaskProvider;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
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
        if (heatSample < 0) throw new UserError("--heat-sample must be 0 or more");
        if (!masks.equals("annotation") && !masks.equals("predicted")) throw new UserError("--masks must be annotation or predicted");
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
        Files.createDirectories(out);
        Classifier model;
        try {
            model = Classifier.load(modelDir);
            if (tta != null) model.setTta(tta);
        } catch (BadInputException e) {
            throw new UserError(modelDir + ": " + e.getMessage(), e);
        }
        LungSegmenter seg = null;
        boolean usePredicted = masks.equals("predicted");
        boolean unannotated = model.recipe().usesMask() && samples.stream().anyMatch(sm -> !sm.hasMaskSource());
        // with --segmenter, annotation runs also get the predicted-mask figure; films without polygons need it anyway
        if (usePredicted || segmenter != null || unannotated) {
            try {
                seg = CommonOptions.segmenter(segmenter);
            } catch (UserError e) {
                model.close();
                throw e;
            }
        }
        MaskCache cache = seg == null ? null : maskCacheOptions.cache();
        try (model; LungSegmenter segToClose = seg) {
            MaskProvider annotationMasks = MaskProvider.of(MaskSource.AUTO);
            MaskProvider predictedMasks = seg == null ? null : seg.provider(cache);
            MaskPlan plan = new MaskPlan(usePredicted ? MaskPlan.Mode.PREDICTED : MaskPlan.Mode.ANNOTATION, annotationMasks, predictedMasks);
            MaskProvider mp = plan.firstProvider();
            io.cxr4j.check.InputCheck check = null;
            if (inputCheck.on()) {
                try {
                    check = io.cxr4j.check.InputCheck.load(inputCheck.apply(io.cxr4j.analysis.AnalysisOptions.defaults()).checkDir());
                } catch (BadInputException e) {
                    throw new UserError(e.getMessage() + " (--no-input-check evaluates without it)", e);
                }
            }
            DatasetScoring.Run run;
            try (io.cxr4j.check.InputCheck c = check) {
                run = DatasetScoring.run(model, samples, plan, common.threads(), c);
            }
            common.report(System.err, ds.problems(), run.failures());
            Map<String, Integer> refusedBy = new java.util.TreeMap<>();
            for (io.cxr4j.util.Batch.Failure f : run.failures()) {
                if (f.error() instanceof io.cxr4j.analysis.NotFrontalException nf) refusedBy.merge(nf.reason().replaceAll(" \\(.*", ""), 1, Integer::sum);
            }
            if (run.predictions().isEmpty()) throw new UserError("no image could be evaluated");
            List<String> classes = model.card().classes();
            Map<String, Metrics.Result> both = new LinkedHashMap<>();
            if (usePredicted || segmenter != null) {
                // the same images with the other kind of mask, so the two figures can be compared
                MaskPlan otherPlan = new MaskPlan(usePredicted ? MaskPlan.Mode.ANNOTATION : MaskPlan.Mode.PREDICTED, annotationMasks,
                        predictedMasks);
                DatasetScoring.Run other = DatasetScoring.run(model, samples, otherPlan, common.threads());
                Metrics.Result otherM = ClassifierEvaluation.metrics(classes, other.predictions());
                Metrics.Result thisM = ClassifierEvaluation.metrics(classes, run.predictions());
                both.put("annotation (polygons)", usePredicted ? otherM : thisM);
                both.put("predicted by the segmenter", usePredicted ? thisM : otherM);
            }
            ClassificationEvaluation ev = ClassificationEvaluation.of(classes, split, masks, run.predictions(), run.at(1.0), model.temperature(),
                    run.maskOf(), both);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("tta", model.tta());
            Map<String, Object> checkInfo = new LinkedHashMap<>();
            checkInfo.put("on", inputCheck.on());
            checkInfo.put("refused", refusedBy.values().stream().mapToInt(Integer::intValue).sum());
            checkInfo.put("refused_by_reason", refusedBy);
            extra.put("input_check", checkInfo);
            if (brisque.active()) extra.put("brisque_filter", brisque.json());
            if (cache != null) extra.put("mask_cache", Map.of("dir", cache.dir().toString(), "hits", cache.hits(), "segmented", cache.misses(),
                    "rebuilt", cache.rebuilt()));
            if (!both.isEmpty()) extra.put("mask_comparison_segmenter", Models.segmenter(segmenter).toAbsolutePath().normalize().toString());
            extra.put("model", modelDir.toAbsolutePath().normalize().toString());
            extra.put("dataset", ds.roots().size() == 1 ? ds.root().toAbsolutePath().normalize().toString()
                    : ds.roots().stream().map(r -> r.toAbsolutePath().normalize().toString()).toList());
            boolean explainable = model.card().architecture().kind().equals("cxrnet");
            if (heatSample > 0 && explainable) {
                HeatSurvey.Summary heat = HeatSurvey.run(model, run.predictions(), mp, heatSample, 1);
                if (heat != null) extra.put(EvaluationFiles.HEAT_KEY, heat.toJson());
            }
            EvaluationFiles.write(ev, model.card(), modelDir, dataset, extra, mp,
                    explainable ? (img, mask, cls) -> model.explain(img, mask, cls).filmHeat() : null, out);
            Metrics.Result m = ev.metrics();
            SourceTable table = ev.sources();
            Map<String, Object> shortcut = ev.shortcut();
            System.out.print(table.text());
            System.out.println();
            System.out.print(Metrics.report(m));
            System.out.println(shortcutLine(shortcut));
            if (!both.isEmpty()) {
                both.forEach((k, v) -> System.out.printf(Locale.ROOT, "lung masks %s: accuracy %.3f, macro F1 %.3f (n=%d)%n", k, v.accuracy(), v.macroF1(), v.n()));
            }
            System.out.println("report: " + out.resolve("report.html").toAbsolutePath().normalize());
            System.out.println(ModelCard.DISCLAIMER);
            int skipped = run.failures().size() + ds.problems().size();
            return ExitCodes.of(run.predictions().size(), skipped);
        }
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
