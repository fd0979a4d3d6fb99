package io.cxr4j.eval;

import io.cxr4j.data.Sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything an evaluation of the classifier found, as an immutable value: four-class metrics, the
 * per-source table, groups by source and view, the shortcut count, calibration before and after the
 * model's temperature, which lung masks were used, and optionally the figure with the other mask source.
 * Computed from predictions by {@link #of}; {@code report} renders it (Tribuo's Evaluation and renderer).
 */
public record ClassificationEvaluation(List<String> classes, String split, String masks, Metrics.Result metrics, SourceTable sources,
                                       Map<String, Object> bySource, Map<String, Object> byView, Map<String, Object> shortcut,
                                       double temperature, double eceBeforeTemperature, Map<String, Integer> masksUsed,
                                       Map<String, Metrics.Result> maskComparison, List<Prediction> predictions,
                                       Map<String, String> maskOf) {
    public ClassificationEvaluation {
        classes = List.copyOf(classes);
        predictions = List.copyOf(predictions);
        maskOf = Map.copyOf(maskOf);
        maskComparison = maskComparison == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(maskComparison));
    }

    /**
     * @param preds        the films' predictions at the model's temperature
     * @param uncalibrated the same films at temperature 1 (for the ECE before scaling)
     * @param maskOf       file name to the lung mask it used ("annotation", "predicted")
     * @param comparison   "annotation (polygons)" / "predicted by the segmenter" figures on the same films, or empty
     */
    public static ClassificationEvaluation of(List<String> classes, String split, String masks, List<Prediction> preds,
                                              List<Prediction> uncalibrated, double temperature, Map<String, String> maskOf,
                                              Map<String, Metrics.Result> comparison) {
        Metrics.Result m = ClassifierEvaluation.metrics(classes, preds);
        double eceBefore = ClassifierEvaluation.metrics(classes, uncalibrated).ece();
        Map<String, Integer> used = new TreeMap<>();
        maskOf.values().forEach(v -> used.merge(v, 1, Integer::sum));
        return new ClassificationEvaluation(classes, split, masks, m, SourceTable.of(classes, preds),
                ClassifierEvaluation.byGroup(classes, preds, Sample::source), ClassifierEvaluation.byGroup(classes, preds, Sample::view),
                ClassifierEvaluation.nonCovidCalledCovid(classes, preds), temperature, eceBefore, used, comparison, preds, maskOf);
    }

    /** The metrics.json fields: the per-source table first. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("per_source", sources.toJson());
        json.put("coarse_pneumonia", sources.coarseJson());
        json.putAll(MetricsJson.of(metrics));
        json.put("temperature", temperature);
        json.put("ece_before_temperature_scaling", eceBeforeTemperature);
        json.put("by_source", bySource);
        json.put("by_view", byView);
        json.put("non_covid_called_covid19", shortcut);
        json.put("lung_masks_used", masksUsed);
        json.put("split", split);
        json.put("masks", masks);
        if (!maskComparison.isEmpty()) {
            Map<String, Object> cmp = new LinkedHashMap<>();
            for (var e : maskComparison.entrySet()) {
                String k = e.getKey().startsWith("annotation") ? "annotation" : "predicted";
                cmp.put(k, Map.of("n", e.getValue().n(), "accuracy", e.getValue().accuracy(), "macro_f1", e.getValue().macroF1()));
            }
            json.put("mask_comparison", cmp);
        }
        return json;
    }
}
