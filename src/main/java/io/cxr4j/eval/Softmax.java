package io.cxr4j.eval;

/** Numerically stable softmax over a slice of logits. */
public final class Softmax {
    private Softmax() {}

    public static float[] of(float[] logits, int off, int k) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        float[] p = new float[k];
        for (int i = 0; i < k; i++) {
            p[i] = (float) Math.exp(logits[off + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < k; i++) p[i] /= sum;
        return p;
    }
}
