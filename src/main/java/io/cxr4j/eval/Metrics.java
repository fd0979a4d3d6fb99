package io.cxr4j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification metrics from true labels and predicted probabilities: accuracy, per-class
 * precision/recall/F1/support, macro and weighted F1, confusion matrix (rows true, columns predicted),
 * one-vs-rest ROC AUC and expected calibration error. Pure functions; classes are indices 0..k-1.
 */
public final class Metrics {
    private Metrics() {}

    public record PerClass(double precision, double recall, double f1, int support) {}

    public record Result(List<String> classes, int n, double accuracy, double macroF1, double weightedF1,
                         Map<String, PerClass> perClass, int[][] confusion, Map<String, Double> rocAuc, double ece) {}

    public static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }

    public static int[][] confusion(int[] truth, int[] pred, int k) {
        int[][] c = new int[k][k];
        for (int i = 0; i < truth.length; i++) c[truth[i]][pred[i]]++;
        return c;
    }

    /** Metrics from a confusion matrix alone (no AUC or ECE). */
    public static Result fromConfusion(List<String> classes, int[][] c) {
        int k = classes.size();
        int n = 0, correct = 0;
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) { n += c[i][j]; if (i == j) correct += c[i][j]; }
        Map<String, PerClass> per = new LinkedHashMap<>();
        double macro = 0, weighted = 0;
        for (int i = 0; i < k; i++) {
            PerClass pc = perClass(c, i, 0);
            double f = pc.f1();
            int support = pc.support();
            per.put(classes.get(i), pc);
            macro += f / k;
            weighted += n == 0 ? 0 : f * support / n;
        }
        return new Result(List.copyOf(classes), n, n == 0 ? 0 : (double) correct / n, macro, weighted, per, c, Map.of(), Double.NaN);
    }

    /**
     * Macro F1 of a confusion matrix (rows true, columns predicted) when {@code extraFalsePositives[c]} further
     * predictions of class c are known to be wrong (e.g. images labelled "bacterial or viral pneumonia" that
     * were called COVID-19): they lower class c's precision; recalls are unchanged.
     */
    public static double macroF1WithFalsePositives(int[][] c, int[] extraFalsePositives) {
        int k = c.length;
        double macro = 0;
        for (int i = 0; i < k; i++) macro += perClass(c, i, extraFalsePositives[i]).f1() / k;
        return macro;
    }

    /** Precision, recall, F1 and support of class {@code i}, with {@code extraPredicted} further wrong calls of it. */
    private static PerClass perClass(int[][] c, int i, int extraPredicted) {
        int tp = c[i][i], support = 0, predicted = extraPredicted;
        for (int j = 0; j < c.length; j++) { support += c[i][j]; predicted += c[j][i]; }
        double p = predicted == 0 ? 0 : (double) tp / predicted;
        double r = support == 0 ? 0 : (double) tp / support;
        return new PerClass(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), support);
    }

    public static Result compute(List<String> classes, int[] truth, float[][] probs) {
        int k = classes.size();
        int[] pred = new int[truth.length];
        for (int i = 0; i < truth.length; i++) pred[i] = argmax(probs[i]);
        Result base = fromConfusion(classes, confusion(truth, pred, k));
        Map<String, Double> auc = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
            double[] score = new double[truth.length];
            boolean[] pos = new boolean[truth.length];
            for (int i = 0; i < truth.length; i++) { score[i] = probs[i][c]; pos[i] = truth[i] == c; }
            auc.put(classes.get(c), rocAuc(score, pos));
        }
        return new Result(base.classes(), base.n(), base.accuracy(), base.macroF1(), base.weightedF1(), base.perClass(),
                base.confusion(), auc, ece(truth, probs, 15));
    }

    /** Area under the ROC curve by the rank statistic (ties count half); NaN if a class is absent. */
    public static double rocAuc(double[] score, boolean[] positive) {
        int n = score.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(score[a], score[b]));
        double[] rank = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && score[idx[j + 1]] == score[idx[i]]) j++;
            double r = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) rank[idx[t]] = r;
            i = j + 1;
        }
        long np = 0;
        double sumPos = 0;
        for (int i = 0; i < n; i++) if (positive[i]) { np++; sumPos += rank[i]; }
        long nn = n - np;
        if (np == 0 || nn == 0) return Double.NaN;
        return (sumPos - np * (np + 1) / 2.0) / ((double) np * nn);
    }

    /** ROC curve points (false positive rate, true positive rate), from (0,0) to (1,1). */
    public static List<double[]> rocCurve(double[] score, boolean[] positive) {
        int n = score.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(score[b], score[a]));
        long np = 0;
        for (boolean p : positive) if (p) np++;
        long nn = n - np;
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[] {0, 0});
        long tp = 0, fp = 0;
        for (int i = 0; i < n; i++) {
            if (positive[idx[i]]) tp++; else fp++;
            if (i + 1 == n || score[idx[i + 1]] != score[idx[i]]) {
                pts.add(new double[] {nn == 0 ? 0 : (double) fp / nn, np == 0 ? 0 : (double) tp / np});
            }
        }
        return pts;
    }

    /** Expected calibration error of the top-class confidence over equal-width bins. */
    public static double ece(int[] truth, float[][] probs, int bins) {
        double[] conf = new double[bins], acc = new double[bins];
        int[] cnt = new int[bins];
        for (int i = 0; i < truth.length; i++) {
            int p = argmax(probs[i]);
            double c = probs[i][p];
            int b = Math.min(bins - 1, (int) (c * bins));
            conf[b] += c;
            acc[b] += p == truth[i] ? 1 : 0;
            cnt[b]++;
        }
        double e = 0;
        for (int b = 0; b < bins; b++) if (cnt[b] > 0) e += Math.abs(acc[b] - conf[b]) / truth.length;
        return e;
    }

    /** Per-bin (mean confidence, accuracy, count) for a reliability diagram. */
    public static double[][] reliability(int[] truth, float[][] probs, int bins) {
        double[][] r = new double[bins][3];
        for (int i = 0; i < truth.length; i++) {
            int p = argmax(probs[i]);
            double c = probs[i][p];
            int b = Math.min(bins - 1, (int) (c * bins));
            r[b][0] += c;
            r[b][1] += p == truth[i] ? 1 : 0;
            r[b][2]++;
        }
        for (double[] x : r) if (x[2] > 0) { x[0] /= x[2]; x[1] /= x[2]; }
        return r;
    }

    /** The familiar precision/recall/F1/support table. */
    public static String report(Result r) {
        StringBuilder sb = new StringBuilder();
        int w = Math.max(12, r.classes().stream().mapToInt(String::length).max().orElse(12));
        sb.append(String.format(java.util.Locale.ROOT, "%" + w + "s %9s %9s %9s %9s%n%n", "", "precision", "recall", "f1-score", "support"));
        for (String c : r.classes()) {
            PerClass p = r.perClass().get(c);
            sb.append(String.format(java.util.Locale.ROOT, "%" + w + "s %9.3f %9.3f %9.3f %9d%n", c, p.precision(), p.recall(), p.f1(), p.support()));
        }
        sb.append('\n');
        sb.append(String.format(java.util.Locale.ROOT, "%" + w + "s %9s %9s %9.3f %9d%n", "accuracy", "", "", r.accuracy(), r.n()));
        double mp = 0, mr = 0, wp = 0, wr = 0;
        for (PerClass p : r.perClass().values()) {
            mp += p.precision() / r.classes().size();
            mr += p.recall() / r.classes().size();
            wp += r.n() == 0 ? 0 : p.precision() * p.support() / r.n();
            wr += r.n() == 0 ? 0 : p.recall() * p.support() / r.n();
        }
        sb.append(String.format(java.util.Locale.ROOT, "%" + w + "s %9.3f %9.3f %9.3f %9d%n", "macro avg", mp, mr, r.macroF1(), r.n()));
        sb.append(String.format(java.util.Locale.ROOT, "%" + w + "s %9.3f %9.3f %9.3f %9d%n", "weighted avg", wp, wr, r.weightedF1(), r.n()));
        return sb.toString();
    }
}
