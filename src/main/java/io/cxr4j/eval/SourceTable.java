package io.cxr4j.eval;

import io.cxr4j.data.Label;
import io.cxr4j.data.Populations;
import io.cxr4j.data.Sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a classifier does on each source (hospital or collection), and on adult and child films pooled:
 * the table that shows whether "COVID-19" means COVID-19 or "this hospital" / "an adult". Immutable;
 * computed from predictions, rendered by the report. A coarse "pneumonia" film (bacterial or viral, type
 * unknown) is right when called bacterial or viral pneumonia and counts as non-COVID.
 */
public record SourceTable(List<Row> rows, Coarse coarse) {
    /**
     * One group of films. {@code covidRecall} and {@code covidAuc} are NaN where the group has no COVID-19
     * film (AUC also where it has no other film); {@code population} is adult, child, mixed or unknown.
     */
    public record Row(String group, String population, int n, double accuracy, int covid, double covidRecall, int nonCovid,
                      int nonCovidCalledCovid, double nonCovidCalledCovidRate, double covidAuc, int adults, int children) {}

    /** The coarse-labelled films: how many, and what they were called. */
    public record Coarse(int n, int bacterial, int viral, int healthy, int covid19) {
        public double accuracy() { return n == 0 ? Double.NaN : (double) (bacterial + viral) / n; }
    }

    public SourceTable {
        rows = List.copyOf(rows);
    }

    /**
     * Rows per source (sorted), then "adult films (all sources)" and "child films (all sources)" where
     * such films exist, then "all".
     */
    public static SourceTable of(List<String> classes, List<Prediction> preds) {
        List<Prediction> usable = preds.stream().filter(p -> p.truth() >= 0 || p.sample().isCoarse()).toList();
        Map<String, List<Prediction>> bySource = new TreeMap<>();
        for (Prediction p : usable) bySource.computeIfAbsent(sourceOf(p.sample()), k -> new ArrayList<>()).add(p);
        List<Row> rows = new ArrayList<>();
        for (var e : bySource.entrySet()) rows.add(row(classes, e.getKey(), e.getValue()));
        Map<String, List<Prediction>> byPop = new LinkedHashMap<>();
        for (String pop : List.of(Populations.ADULT, Populations.CHILD)) {
            List<Prediction> g = usable.stream().filter(p -> Populations.of(p.sample()).equals(pop)).toList();
            if (!g.isEmpty()) byPop.put(pop + " films (all sources)", g);
        }
        byPop.forEach((k, v) -> rows.add(row(classes, k, v)));
        if (!usable.isEmpty()) rows.add(row(classes, "all", usable));
        int b = classes.indexOf(Label.BACTERIAL_PNEUMONIA.id()), h = classes.indexOf(Label.HEALTHY.id()),
                v = classes.indexOf(Label.VIRAL_PNEUMONIA.id()), c = classes.indexOf(Label.COVID19.id());
        int[] called = new int[classes.size()];
        int n = 0;
        for (Prediction p : usable) {
            if (!p.sample().isCoarse()) continue;
            n++;
            called[p.predicted()]++;
        }
        return new SourceTable(rows, new Coarse(n, called[b], called[v], called[h], called[c]));
    }

    static String sourceOf(Sample s) {
        return s.source() == null ? "unknown" : s.source();
    }

    /** True when the prediction is right: the class itself, or bacterial/viral pneumonia for a coarse film. */
    public static boolean correct(List<String> classes, Prediction p) {
        if (p.truth() >= 0) return p.correct();
        if (!p.sample().isCoarse()) return false;
        String pred = classes.get(p.predicted());
        return pred.equals(Label.BACTERIAL_PNEUMONIA.id()) || pred.equals(Label.VIRAL_PNEUMONIA.id());
    }

    static Row row(List<String> classes, String group, List<Prediction> g) {
        int covidIdx = classes.indexOf(Label.COVID19.id());
        int correct = 0, covid = 0, covidHit = 0, nonCovid = 0, called = 0, adults = 0, children = 0;
        double[] score = new double[g.size()];
        boolean[] positive = new boolean[g.size()];
        for (int i = 0; i < g.size(); i++) {
            Prediction p = g.get(i);
            if (correct(classes, p)) correct++;
            boolean isCovid = p.truth() == covidIdx;
            if (isCovid) {
                covid++;
                if (p.predicted() == covidIdx) covidHit++;
            } else {
                nonCovid++;
                if (p.predicted() == covidIdx) called++;
            }
            score[i] = p.probs()[covidIdx];
            positive[i] = isCovid;
            String pop = Populations.of(p.sample());
            if (pop.equals(Populations.ADULT)) adults++;
            else if (pop.equals(Populations.CHILD)) children++;
        }
        String population = adults == g.size() ? Populations.ADULT : children == g.size() ? Populations.CHILD
                : adults + children == 0 ? Populations.UNKNOWN : "mixed";
        double auc = covid > 0 && nonCovid > 0 ? Metrics.rocAuc(score, positive) : Double.NaN;
        return new Row(group, population, g.size(), g.isEmpty() ? Double.NaN : (double) correct / g.size(), covid,
                covid == 0 ? Double.NaN : (double) covidHit / covid, nonCovid, called, nonCovid == 0 ? Double.NaN : (double) called / nonCovid,
                auc, adults, children);
    }

    /** The rows as JSON-friendly maps (NaN written as null). */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("population", r.population());
            m.put("n", r.n());
            m.put("accuracy", num(r.accuracy()));
            m.put("covid19", r.covid());
            m.put("covid19_recall", num(r.covidRecall()));
            m.put("non_covid", r.nonCovid());
            m.put("non_covid_called_covid19", r.nonCovidCalledCovid());
            m.put("non_covid_called_covid19_rate", num(r.nonCovidCalledCovidRate()));
            m.put("covid19_roc_auc", num(r.covidAuc()));
            m.put("adult_films", r.adults());
            m.put("child_films", r.children());
            out.put(r.group(), m);
        }
        return out;
    }

    public Map<String, Object> coarseJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", coarse.n());
        m.put("accuracy", num(coarse.accuracy()));
        m.put("called_bacterial_pneumonia", coarse.bacterial());
        m.put("called_viral_pneumonia", coarse.viral());
        m.put("called_healthy", coarse.healthy());
        m.put("called_covid19", coarse.covid19());
        m.put("meaning", "label 'pneumonia': non-COVID pneumonia of unknown type; right when called bacterial or viral pneumonia");
        return m;
    }

    static Object num(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 1e4) / 1e4;
    }

    /** A plain-text table for the terminal. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-28s %-8s %6s %8s %8s %22s %8s%n";
        sb.append(String.format(java.util.Locale.ROOT, fmt, "source", "films", "n", "accuracy", "COVID rec", "non-COVID called COVID", "COVID AUC"));
        for (Row r : rows) {
            sb.append(String.format(java.util.Locale.ROOT, fmt, r.group(), r.population(), r.n(), f(r.accuracy()),
                    r.covid() == 0 ? "-" : f(r.covidRecall()),
                    r.nonCovid() == 0 ? "-" : String.format(java.util.Locale.ROOT, "%d/%d (%.1f%%)", r.nonCovidCalledCovid(), r.nonCovid(),
                            100 * r.nonCovidCalledCovidRate()),
                    Double.isNaN(r.covidAuc()) ? "-" : f(r.covidAuc())));
        }
        if (coarse.n() > 0) {
            sb.append(String.format(java.util.Locale.ROOT,
                    "pneumonia of unknown type (coarse label): %d films, %.3f called bacterial or viral (%d bacterial, %d viral), %d healthy, %d COVID-19%n",
                    coarse.n(), coarse.accuracy(), coarse.bacterial(), coarse.viral(), coarse.healthy(), coarse.covid19()));
        }
        return sb.toString();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
