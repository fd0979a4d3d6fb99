package io.cxr4j.eval;

import java.util.List;
import java.util.Set;

/**
 * Temperature scaling (Guo et al. 2017): one number T that divides the logits before the softmax, fitted
 * by minimising the negative log-likelihood on validation films. It changes how sure the model says it is,
 * never which class comes first for a single network. Pure functions.
 */
public final class Calibration {
    private Calibration() {}

    /** Probabilities of one film: the mean over rows (members, views) of softmax(row / t). */
    public static float[] probabilities(float[][] rows, double t) {
        int k = rows[0].length;
        float[] acc = new float[k], z = new float[k];
        for (float[] r : rows) {
            for (int c = 0; c < k; c++) z[c] = (float) (r[c] / t);
            float[] p = Softmax.of(z, 0, k);
            for (int c = 0; c < k; c++) acc[c] += p[c] / rows.length;
        }
        return acc;
    }

    /**
     * Mean negative log-likelihood at temperature t; each film's truth is the set of classes it may be (one
     * class, or e.g. bacterial and viral pneumonia for a coarse label), scored as -log of their summed probability.
     */
    public static double nll(List<float[][]> logits, List<Set<Integer>> truth, double t) {
        double sum = 0;
        for (int i = 0; i < logits.size(); i++) {
            float[] p = probabilities(logits.get(i), t);
            double q = 0;
            for (int c : truth.get(i)) q += p[c];
            sum -= Math.log(Math.max(1e-12, q));
        }
        return sum / Math.max(1, logits.size());
    }

    /** The temperature in [0.05, 20] with the least NLL (golden-section search on log t; NLL is unimodal in practice). */
    public static double fit(List<float[][]> logits, List<Set<Integer>> truth) {
        if (logits.isEmpty()) throw new IllegalArgumentException("no films to fit a temperature on");
        double a = Math.log(0.05), b = Math.log(20), g = (Math.sqrt(5) - 1) / 2;
        double c = b - g * (b - a), d = a + g * (b - a);
        double fc = nll(logits, truth, Math.exp(c)), fd = nll(logits, truth, Math.exp(d));
        for (int it = 0; it < 60 && b - a > 1e-5; it++) {
            if (fc < fd) {
                b = d; d = c; fd = fc;
                c = b - g * (b - a);
                fc = nll(logits, truth, Math.exp(c));
            } else {
                a = c; c = d; fc = fd;
                d = a + g * (b - a);
                fd = nll(logits, truth, Math.exp(d));
            }
        }
        return Math.exp((a + b) / 2);
    }
}
