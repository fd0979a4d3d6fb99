package io.cxr4j.audit;

/**
 * Balanced accuracy: the mean over classes of each class's recall, counting only the classes present in
 * the truth. Chance for any answer that ignores the input (e.g. always the commonest class) is
 * 1 / (classes present), however unequal the classes are.
 */
public final class BalancedAccuracy {
    private BalancedAccuracy() {}

    /** Balanced accuracy of {@code predicted} against {@code truth} (class indices in [0, k)); NaN when there is no truth. */
    public static double of(int[] truth, int[] predicted, int k) {
        double sum = 0;
        int present = 0;
        for (double r : recalls(truth, predicted, k)) {
            if (Double.isNaN(r)) continue;
            sum += r;
            present++;
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** Each class's recall (NaN for a class absent from the truth). */
    public static double[] recalls(int[] truth, int[] predicted, int k) {
        if (truth.length != predicted.length) throw new IllegalArgumentException("truth and predictions differ in length");
        long[] n = new long[k], right = new long[k];
        for (int i = 0; i < truth.length; i++) {
            n[truth[i]]++;
            if (truth[i] == predicted[i]) right[truth[i]]++;
        }
        double[] r = new double[k];
        for (int c = 0; c < k; c++) r[c] = n[c] == 0 ? Double.NaN : (double) right[c] / n[c];
        return r;
    }

    /** What an answer that ignores the input scores: 1 / (classes present in {@code truth}). */
    public static double chance(int[] truth, int k) {
        boolean[] seen = new boolean[k];
        int present = 0;
        for (int t : truth) if (!seen[t]) { seen[t] = true; present++; }
        return present == 0 ? Double.NaN : 1.0 / present;
    }
}
