package io.cxr4j.eval;


import java.util.LinkedHashMap;
import java.util.Map;

/** The metrics.json layout shared by training and evaluation. */
public final class MetricsJson {
    private MetricsJson() {}

    public static Map<String, Object> of(Metrics.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classes", r.classes());
        m.put("n", r.n());
        m.put("accuracy", round(r.accuracy()));
        m.put("macro_f1", round(r.macroF1()));
        m.put("weighted_f1", round(r.weightedF1()));
        Map<String, Object> per = new LinkedHashMap<>();
        r.perClass().forEach((c, p) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("precision", round(p.precision()));
            x.put("recall", round(p.recall()));
            x.put("f1", round(p.f1()));
            x.put("support", p.support());
            per.put(c, x);
        });
        m.put("per_class", per);
        m.put("confusion_matrix", r.confusion());
        Map<String, Object> auc = new LinkedHashMap<>();
        r.rocAuc().forEach((c, v) -> auc.put(c, Double.isNaN(v) ? null : round(v)));
        m.put("roc_auc", auc);
        m.put("ece", Double.isNaN(r.ece()) ? null : round(r.ece()));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
