package io.cxr4j.eval;

import java.util.Arrays;

/** Mean, median and percentiles of per-image values (e.g. Dice). */
public record Summary(int n, double mean, double median, double p5, double min, double max) {
    public static Summary of(double[] values) {
        if (values.length == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double[] v = values.clone();
        Arrays.sort(v);
        return new Summary(v.length, Arrays.stream(v).average().orElse(Double.NaN), percentile(v, 50), percentile(v, 5), v[0], v[v.length - 1]);
    }

    /** Linear interpolation between closest ranks, on sorted values. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 1) return sorted[0];
        double r = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(r), hi = (int) Math.ceil(r);
        return sorted[lo] + (r - lo) * (sorted[hi] - sorted[lo]);
    }
}
