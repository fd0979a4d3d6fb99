package io.cxr4j.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input check's figures, per kind of input: how many were refused, accepted, corrected to the right
 * orientation, or corrected wrongly. Immutable; {@link io.cxr4j.check.CheckEvaluator} computes it and
 * the CLI only renders it. For frontal films the figure that matters is the refused share; for every other
 * kind it is the share refused or safely corrected ({@link Row#handled()}).
 */
public record CheckEvaluation(List<Row> rows) {
    public CheckEvaluation {
        rows = List.copyOf(rows);
    }

    /**
     * One kind's counts. {@code group}: "frontal" (must be accepted), "view" (a frontal film turned,
     * inverted or cut: must be corrected or refused), "not-frontal" (must be refused); {@code heldOut}: a kind
     * the check never trained on.
     */
    public record Row(String kind, String group, boolean heldOut, int n, int refused, int correctedRight, int correctedWrong,
                      int accepted, Map<String, Integer> reasons) {
        /** Refused, or turned back to the right orientation. */
        public int handled() { return refused + correctedRight; }

        public double share(int k) { return n == 0 ? Double.NaN : k / (double) n; }
    }

    /** Pooled over the rows of one group (and, when {@code heldOutOnly}, only the held-out kinds). */
    public Row pooled(String group, Boolean heldOut) {
        int n = 0, r = 0, cr = 0, cw = 0, a = 0;
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (Row x : rows) {
            if (!x.group().equals(group) || (heldOut != null && x.heldOut() != heldOut)) continue;
            n += x.n(); r += x.refused(); cr += x.correctedRight(); cw += x.correctedWrong(); a += x.accepted();
            x.reasons().forEach((k, v) -> reasons.merge(k, v, Integer::sum));
        }
        return new Row(group + (heldOut == null ? "" : heldOut ? " (held-out kinds)" : " (trained kinds)"), group, heldOut != null && heldOut,
                n, r, cr, cw, a, reasons);
    }
}
