package io.cxr4j.audit;

/**
 * Multinomial logistic regression in plain Java, for probes: features standardised on the training set
 * (constant features dropped), classes weighted so each present class counts equally (the probes are
 * scored by balanced accuracy), an L2 penalty on the weights (not the biases), and full-batch Adam on
 * the weighted mean cross-entropy. Deterministic: the same data give the same model.
 */
public final class LogisticRegression {
    private final double[] mean, scale;
    private final double[][] w; // k x d
    private final double[] b;   // k

    private LogisticRegression(double[] mean, double[] scale, double[][] w, double[] b) {
        this.mean = mean;
        this.scale = scale;
        this.w = w;
        this.b = b;
    }

    public int classes() { return b.length; }

    /** Fits {@code k} classes to rows {@code x} (all of one length) with labels {@code y} in [0, k). */
    public static LogisticRegression fit(float[][] x, int[] y, int k, double lambda, int iterations) {
        int n = x.length;
        if (n == 0 || n != y.length) throw new IllegalArgumentException("need as many labels as rows, and at least one row");
        int d = x[0].length;
        double[] mean = new double[d], scale = new double[d];
        for (float[] r : x) {
            if (r.length != d) throw new IllegalArgumentException("rows differ in length");
            for (int j = 0; j < d; j++) mean[j] += r[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (float[] r : x) for (int j = 0; j < d; j++) scale[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(scale[j] / n);
            scale[j] = sd > 1e-8 ? 1 / sd : 0; // a constant feature carries nothing
        }
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) z[i][j] = (x[i][j] - mean[j]) * scale[j];
        long[] count = new long[k];
        for (int c : y) count[c]++;
        int present = 0;
        for (long c : count) if (c > 0) present++;
        double[] cw = new double[k];
        for (int c = 0; c < k; c++) cw[c] = count[c] == 0 ? 0 : (double) n / (present * count[c]);

        double[][] w = new double[k][d];
        double[] b = new double[k];
        double[][] mw = new double[k][d], vw = new double[k][d];
        double[] mb = new double[k], vb = new double[k];
        double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] logit = new double[k];
        for (int it = 1; it <= iterations; it++) {
            double[][] gw = new double[k][d];
            double[] gb = new double[k];
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double s = b[c];
                    double[] wc = w[c], zi = z[i];
                    for (int j = 0; j < d; j++) s += wc[j] * zi[j];
                    logit[c] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) sum += logit[c] = Math.exp(logit[c] - max);
                double weight = cw[y[i]] / n;
                for (int c = 0; c < k; c++) {
                    double g = weight * (logit[c] / sum - (c == y[i] ? 1 : 0));
                    if (g == 0) continue;
                    gb[c] += g;
                    double[] gwc = gw[c], zi = z[i];
                    for (int j = 0; j < d; j++) gwc[j] += g * zi[j];
                }
            }
            double c1 = 1 - Math.pow(b1, it), c2 = 1 - Math.pow(b2, it);
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    double g = gw[c][j] + lambda * w[c][j];
                    mw[c][j] = b1 * mw[c][j] + (1 - b1) * g;
                    vw[c][j] = b2 * vw[c][j] + (1 - b2) * g * g;
                    w[c][j] -= lr * (mw[c][j] / c1) / (Math.sqrt(vw[c][j] / c2) + eps);
                }
                mb[c] = b1 * mb[c] + (1 - b1) * gb[c];
                vb[c] = b2 * vb[c] + (1 - b2) * gb[c] * gb[c];
                b[c] -= lr * (mb[c] / c1) / (Math.sqrt(vb[c] / c2) + eps);
            }
        }
        return new LogisticRegression(mean, scale, w, b);
    }

    /** Class scores (logits) for one row. */
    public double[] scores(float[] x) {
        double[] s = b.clone();
        for (int c = 0; c < s.length; c++) {
            for (int j = 0; j < mean.length; j++) s[c] += w[c][j] * (x[j] - mean[j]) * scale[j];
        }
        return s;
    }

    /** The class with the highest score (the lowest index on ties). */
    public int predict(float[] x) {
        double[] s = scores(x);
        int best = 0;
        for (int c = 1; c < s.length; c++) if (s[c] > s[best]) best = c;
        return best;
    }

    public int[] predict(float[][] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = predict(rows[i]);
        return out;
    }
}
