package io.cxr4j.report;

import io.cxr4j.data.Csv;
import io.cxr4j.data.Populations;
import io.cxr4j.data.Sample;
import io.cxr4j.eval.ClassificationEvaluation;
import io.cxr4j.eval.Metrics;
import io.cxr4j.eval.Prediction;
import io.cxr4j.model.ModelCard;
import io.cxr4j.prep.MaskProvider;
import io.cxr4j.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ClassificationEvaluation} into the files {@code cxr evaluate} promises: metrics.json,
 * classification_report.txt, predictions.csv, confusion_matrix.png, roc.png, calibration.png and
 * report.html. It computes nothing new.
 */
public final class EvaluationFiles {
    private EvaluationFiles() {}

    /** The metrics.json field that holds the heat-share figures. */
    public static final String HEAT_KEY = "heat_maps";

    /**
     * @param extra      further metrics.json fields (model, dataset, filters, cache counts)
     * @param galleryMasks the lung masks drawn on the error gallery (the ones the evaluation used)
     */
    public static void write(ClassificationEvaluation e, ModelCard card, Path modelDir, String datasetName, Map<String, Object> extra,
                             MaskProvider galleryMasks, Path out) throws Exception {
        write(e, card, modelDir, datasetName, extra, galleryMasks, null, out);
    }

    /**
     * As above, with the error gallery's heat maps drawn by {@code heat} (null: outlines only); a
     * {@code heat_maps} map in {@code extra} (the heat-share figures) is also shown in the report.
     */
    @SuppressWarnings("unchecked")
    public static void write(ClassificationEvaluation e, ModelCard card, Path modelDir, String datasetName, Map<String, Object> extra,
                             MaskProvider galleryMasks, ClassifierReport.HeatSource heat, Path out) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>(e.toJson());
        json.putAll(extra);
        json.put("trained_on", card.trainedOn());
        json.put("disclaimer", ModelCard.DISCLAIMER);
        AtomicFiles.writeBytes(out.resolve("metrics.json"), ModelCard.json().writeValueAsBytes(json));
        AtomicFiles.writeString(out.resolve("classification_report.txt"), Metrics.report(e.metrics()) + "\n" + ModelCard.DISCLAIMER + "\n");
        writePredictions(out.resolve("predictions.csv"), e.classes(), e.predictions(), e.maskOf());
        int[] truth = e.predictions().stream().filter(p -> p.truth() >= 0).mapToInt(Prediction::truth).toArray();
        float[][] probs = e.predictions().stream().filter(p -> p.truth() >= 0).map(Prediction::probs).toArray(float[][]::new);
        Metrics.Result m = e.metrics();
        Charts.confusionMatrix(e.classes(), m.confusion(), "Confusion matrix (" + e.split() + ", n=" + m.n() + ")", out.resolve("confusion_matrix.png"));
        Charts.roc(e.classes(), truth, probs, out.resolve("roc.png"));
        Charts.calibration(truth, probs, m.ece(), out.resolve("calibration.png"));
        ClassifierReport.write(new ClassifierReport.Inputs(card, modelDir, datasetName, e.split(), e.masks(), m, e.predictions(), e.bySource(),
                e.byView(), e.shortcut(), out.resolve("confusion_matrix.png"), out.resolve("roc.png"), out.resolve("calibration.png"),
                e.maskComparison(), e.sources()), galleryMasks, heat,
                extra.get(HEAT_KEY) instanceof Map<?, ?> f ? (Map<String, Object>) f : null, out.resolve("report.html"));
    }

    /** predictions.csv: file, patient, truth (the coarse label as "pneumonia"), prediction, probabilities, source, population, lung mask. */
    public static void writePredictions(Path csv, List<String> classes, List<Prediction> preds, Map<String, String> maskOf) throws IOException {
        StringBuilder sb = new StringBuilder("file,patient,true,predicted");
        for (String c : classes) sb.append(",p_").append(c);
        sb.append(",source,population,lung_mask\n");
        for (Prediction p : preds) {
            Object[] row = new Object[7 + classes.size()];
            row[0] = p.sample().file();
            row[1] = p.sample().patientId();
            row[2] = p.truth() >= 0 ? classes.get(p.truth()) : p.sample().isCoarse() ? Sample.COARSE_PNEUMONIA : "";
            row[3] = classes.get(p.predicted());
            for (int i = 0; i < classes.size(); i++) row[4 + i] = String.format(Locale.ROOT, "%.5f", p.probs()[i]);
            row[4 + classes.size()] = p.sample().source() == null ? "" : p.sample().source();
            row[5 + classes.size()] = Populations.of(p.sample());
            row[6 + classes.size()] = maskOf.getOrDefault(p.sample().file(), "");
            sb.append(Csv.line(row));
        }
        AtomicFiles.writeString(csv, sb.toString());
    }
}
