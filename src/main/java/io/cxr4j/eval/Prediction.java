package io.cxr4j.eval;

import io.cxr4j.data.Sample;

/** One evaluated image: the sample, its true class index (or -1) and the predicted probabilities. */
public record Prediction(Sample sample, int truth, float[] probs) {
    public int predicted() { return Metrics.argmax(probs); }

    public float confidence() { return probs[predicted()]; }

    public boolean correct() { return truth == predicted(); }
}
