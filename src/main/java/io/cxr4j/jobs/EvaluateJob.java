package io.cxr4j.jobs;

import io.cxr4j.analysis.DatasetScoring;
import io.cxr4j.analysis.NotFrontalException;
import io.cxr4j.audit.HeatSurvey;
import io.cxr4j.check.InputCheck;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.eval.ClassificationEvaluation;
import io.cxr4j.eval.ClassifierEvaluation;
import io.cxr4j.eval.Metrics;
import io.cxr4j.model.Classifier;
import io.cxr4j.prep.MaskPlan;
import io.cxr4j.prep.MaskProvider;
import io.cxr4j.report.EvaluationFiles;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.segment.MaskCache;
import io.cxr4j.util.Batch;
import io.cxr4j.util.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Evaluates a classifier on chosen films: scores them once (lung masks from the annotation, or predicted
 * by the segmenter), optionally once more with the other kind of mask for comparison, computes the
 * evaluation and writes the report folder (metrics.json, predictions.csv, charts, report.html).
 */
public final class EvaluateJob {
    private EvaluateJob() {}

    /**
     * @param masks          "annotation" or "predicted"
     * @param compareMasks   also score the films with the other kind of mask (needs a segmenter)
     * @param segmenterDir   the segmenter's folder, recorded when the masks are compared
     * @param checkDir       the input check's folder (null: no check; films it refuses are left out and counted)
     * @param heatSample     films (a fixed random sample) whose Grad-CAM heat gives metrics.json's heat shares (0: none)
     */
    public record Settings(Path modelDir, Integer tta, String split, String masks, boolean compareMasks, Path segmenterDir, int threads,
                           Path checkDir, int heatSample) {}

    /** The evaluation, the two mask kinds' figures when compared (else empty), and the films that could not be scored. */
    public record Result(ClassificationEvaluation evaluation, Map<String, Metrics.Result> byMasks, List<Batch.Failure> failures, int tta) {}

    /**
     * Runs the evaluation of {@code samples} and writes it to {@code out}.
     *
     * @param segmenter loads the segmenter, asked only when one is needed (predicted masks, the comparison,
     *                  or films without annotation under a masked recipe)
     * @param cache     where predicted masks are cached (asked only with a segmenter; may give null)
     * @param extra     fields added to metrics.json after tta (e.g. a quality filter); the job adds the mask cache and model
     * @param folders   the dataset folder (or folders), metrics.json's last field
     * @throws BadInputException naming the model folder when it cannot be loaded, or when no film could be scored
     */
    public static Result run(Settings s, List<Sample> samples, String dataset, Supplier<LungSegmenter> segmenter,
                             Supplier<MaskCache> cache, Map<String, Object> extra, Object folders, Path out) throws Exception {
        Files.createDirectories(out);
        Classifier model;
        try {
            model = Classifier.load(s.modelDir());
            if (s.tta() != null) model.setTta(s.tta());
        } catch (BadInputException e) {
            throw new BadInputException(s.modelDir() + ": " + e.getMessage(), e);
        }
        LungSegmenter seg = null;
        boolean usePredicted = s.masks().equals("predicted");
        boolean unannotated = model.recipe().usesMask() && samples.stream().anyMatch(sm -> !sm.hasMaskSource());
        // with a comparison, annotation runs also get the predicted-mask figure; films without polygons need it anyway
        if (usePredicted || s.compareMasks() || unannotated) {
            try {
                seg = segmenter.get();
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
        MaskCache maskCache = seg == null ? null : cache.get();
        try (model; LungSegmenter segToClose = seg) {
            MaskProvider annotationMasks = MaskProvider.of(MaskSource.AUTO);
            MaskProvider predictedMasks = seg == null ? null : seg.provider(maskCache);
            MaskPlan plan = new MaskPlan(usePredicted ? MaskPlan.Mode.PREDICTED : MaskPlan.Mode.ANNOTATION, annotationMasks, predictedMasks);
            InputCheck check = null;
            if (s.checkDir() != null) {
                try {
                    check = InputCheck.load(s.checkDir());
                } catch (BadInputException e) {
                    throw new BadInputException(e.getMessage() + " (--no-input-check evaluates without it)", e);
                }
            }
            DatasetScoring.Run run;
            try (InputCheck c = check) {
                run = DatasetScoring.run(model, samples, plan, s.threads(), c);
            }
            Map<String, Integer> refusedBy = new java.util.TreeMap<>();
            for (Batch.Failure f : run.failures()) {
                if (f.error() instanceof NotFrontalException nf) refusedBy.merge(nf.reason().replaceAll(" \\(.*", ""), 1, Integer::sum);
            }
            if (run.predictions().isEmpty()) return new Result(null, Map.of(), run.failures(), model.tta());
            List<String> classes = model.card().classes();
            Map<String, Metrics.Result> both = new LinkedHashMap<>();
            if (usePredicted || s.compareMasks()) {
                // the same images with the other kind of mask, so the two figures can be compared
                MaskPlan otherPlan = new MaskPlan(usePredicted ? MaskPlan.Mode.ANNOTATION : MaskPlan.Mode.PREDICTED, annotationMasks,
                        predictedMasks);
                DatasetScoring.Run other = DatasetScoring.run(model, samples, otherPlan, s.threads());
                Metrics.Result otherM = ClassifierEvaluation.metrics(classes, other.predictions());
                Metrics.Result thisM = ClassifierEvaluation.metrics(classes, run.predictions());
                both.put("annotation (polygons)", usePredicted ? otherM : thisM);
                both.put("predicted by the segmenter", usePredicted ? thisM : otherM);
            }
            ClassificationEvaluation ev = ClassificationEvaluation.of(classes, s.split(), s.masks(), run.predictions(), run.at(1.0),
                    model.temperature(), run.maskOf(), both);
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("tta", model.tta());
            Map<String, Object> checkInfo = new LinkedHashMap<>();
            checkInfo.put("on", s.checkDir() != null);
            checkInfo.put("refused", refusedBy.values().stream().mapToInt(Integer::intValue).sum());
            checkInfo.put("refused_by_reason", refusedBy);
            all.put("input_check", checkInfo);
            all.putAll(extra);
            if (maskCache != null) all.put("mask_cache", Map.of("dir", maskCache.dir().toString(), "hits", maskCache.hits(),
                    "segmented", maskCache.misses(), "rebuilt", maskCache.rebuilt()));
            if (!both.isEmpty()) all.put("mask_comparison_segmenter", s.segmenterDir().toAbsolutePath().normalize().toString());
            all.put("model", s.modelDir().toAbsolutePath().normalize().toString());
            all.put("dataset", folders);
            boolean explainable = model.card().architecture().kind().equals("cxrnet");
            if (s.heatSample() > 0 && explainable) {
                HeatSurvey.Summary heat = HeatSurvey.run(model, run.predictions(), plan.firstProvider(), s.heatSample(), 1);
                if (heat != null) all.put(EvaluationFiles.HEAT_KEY, heat.toJson());
            }
            EvaluationFiles.write(ev, model.card(), s.modelDir(), dataset, all, plan.firstProvider(),
                    explainable ? (img, mask, cls) -> model.explain(img, mask, cls).filmHeat() : null, out);
            return new Result(ev, both, run.failures(), model.tta());
        }
    }
}
