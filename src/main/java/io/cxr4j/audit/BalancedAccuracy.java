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
        if (truth.length != predicted.length) throw new IllegalArgumentException("truth and predictions differ in length");
        long[] n = new long[k], right = new long[k];
        for (int i = 0; i < truth.length; i++) {
            n[truth[i]]++;
            if (truth[i] == predicted[i]) right[truth[i]]++;
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            if (n[c] == 0) continue;
            sum += (double) right[c] / n[c];
            present++;
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** What an answer that ignores the input scores: 1 / (classes present in {@code truth}). */
    public static double chance(int[] truth, int k) {
        boolean[] seen = new boolean[k];
        int present = 0;
        for (int t : truth) if (!seen[t]) { seen[t] = true; present++; }
        return present == 0 ? Double.NaN : 1.0 / present;
    }
}
