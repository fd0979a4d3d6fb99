package io.cxr4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxr4j.model.ModelCard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model as the server shows it: a short id (the folder name, never a path), its card, and its test
 * figures ({@code test_metrics.json} beside the model; null when there are none).
 */
public record ModelInfo(String id, ModelCard card, JsonNode testFigures) {
    static final String FIGURES_FILE = "test_metrics.json";

    /** Reads the figures from {@code modelDir} where present; a missing or unreadable file means none. */
    public static ModelInfo of(String id, ModelCard card, Path modelDir) {
        JsonNode figures = null;
        Path f = modelDir == null ? null : modelDir.resolve(FIGURES_FILE);
        if (f != null && Files.isRegularFile(f)) {
            try {
                figures = ModelCard.json().readTree(f.toFile());
            } catch (IOException e) {
                figures = null; // the card is still shown, without figures
            }
        }
        return new ModelInfo(id, card, figures);
    }

    /** The model card for GET /api/v1/model: classes, training data and limits, test figures, disclaimer. */
    Map<String, Object> cardJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", id);
        m.put("task", card.task());
        m.put("classes", card.classes());
        if (card.input() != null) {
            m.put("input", Map.of("size", card.input().size(), "lung_masked", card.input().usesMask()));
        }
        if (card.trainedOn() != null) m.put("trained_on", card.trainedOn());
        if (testFigures != null) m.put("figures", figures());
        m.put("disclaimer", ModelCard.DISCLAIMER);
        return m;
    }

    /** The headline test figures: films, accuracy, macro F1, per-class F1 and ROC AUC, calibration error. */
    private Map<String, Object> figures() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("set", "held-out test split");
        for (String k : new String[] {"n", "accuracy", "macro_f1", "ece"}) {
            if (testFigures.has(k)) m.put(k, testFigures.get(k));
        }
        JsonNode per = testFigures.get("per_class");
        if (per != null && per.isObject()) {
            Map<String, Object> f1 = new LinkedHashMap<>();
            per.fields().forEachRemaining(e -> {
                if (e.getValue().has("f1")) f1.put(e.getKey(), e.getValue().get("f1"));
            });
            m.put("f1", f1);
        }
        if (testFigures.has("roc_auc")) m.put("roc_auc", testFigures.get("roc_auc"));
        return m;
    }
}
