package io.cxr4j.eval;

import io.cxr4j.data.Label;
import io.cxr4j.data.Sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Summarises a classifier's predictions, overall and per group (pure functions over {@link Prediction}s). */
public final class ClassifierEvaluation {
    public static Metrics.Result metrics(List<String> classes, List<Prediction> preds) {
        List<Prediction> labelled = preds.stream().filter(p -> p.truth() >= 0).toList();
        int[] truth = labelled.stream().mapToInt(Prediction::truth).toArray();
        float[][] probs = labelled.stream().map(Prediction::probs).toArray(float[][]::new);
        return Metrics.compute(classes, truth, probs);
    }

    /** Accuracy, counts and confusion matrix per value of a sample attribute (source, view). */
    public static Map<String, Object> byGroup(List<String> classes, List<Prediction> preds, java.util.function.Function<Sample, String> key) {
        Map<String, List<Prediction>> groups = new TreeMap<>();
        for (Prediction p : preds) {
            if (p.truth() < 0) continue;
            String k = key.apply(p.sample());
            groups.computeIfAbsent(k == null ? "unknown" : k, x -> new ArrayList<>()).add(p);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : groups.entrySet()) {
            List<Prediction> g = e.getValue();
            int[][] cm = Metrics.confusion(g.stream().mapToInt(Prediction::truth).toArray(),
                    g.stream().mapToInt(Prediction::predicted).toArray(), classes.size());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", g.size());
            m.put("accuracy", Math.round(g.stream().filter(Prediction::correct).count() * 1e6 / g.size()) / 1e6);
            m.put("confusion_matrix", cm);
            out.put(e.getKey(), m);
        }
        return out;
    }

    /**
     * The shortcut check: in each source that has COVID-19 images (the adult collection here), how many of
     * its non-COVID images the model called COVID-19. All COVID-19 images come from adults and nearly all
     * others from children, so a model can learn "adult" instead of "COVID-19".
     */
    public static Map<String, Object> nonCovidCalledCovid(List<String> classes, List<Prediction> preds) {
        int covid = classes.indexOf(Label.COVID19.id());
        Map<String, int[]> bySource = new TreeMap<>();
        java.util.Set<String> sourcesWithCovid = new java.util.TreeSet<>();
        for (Prediction p : preds) {
            if (p.truth() < 0) continue;
            String src = p.sample().source() == null ? "unknown" : p.sample().source();
            if (p.truth() == covid) sourcesWithCovid.add(src);
        }
        for (Prediction p : preds) {
            if (p.truth() < 0 || p.truth() == covid) continue;
            String src = p.sample().source() == null ? "unknown" : p.sample().source();
            int[] c = bySource.computeIfAbsent(src, x -> new int[2]);
            c[0]++;
            if (p.predicted() == covid) c[1]++;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : bySource.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("non_covid", e.getValue()[0]);
            m.put("called_covid19", e.getValue()[1]);
            m.put("source_has_covid19_images", sourcesWithCovid.contains(e.getKey()));
            out.put(e.getKey(), m);
        }
        return out;
    }
}
