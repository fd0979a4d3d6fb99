package io.cxr4j.check;

import io.cxr4j.image.GrayImage;
import io.cxr4j.segment.PostProcess;

import java.util.ArrayList;
import java.util.List;

/**
 * The segmented lungs' shape, for the input check: a frontal film gives two lung fields, one either side
 * of the middle, together a plausible share of the picture. Pure, on a binary mask (non-zero = lung).
 *
 * @param area        lung share of the picture
 * @param smallerLung the smaller of the two largest regions, as a share of the picture (0 if fewer than two)
 * @param sidesApart  whether the two largest regions' centres lie either side of the picture's middle
 */
public record LungShape(double area, double smallerLung, boolean sidesApart) {
    /** Limits (stored in the check's model.json), chosen so that about 0.5% of validation films fail them. */
    public record Limits(double minArea, double maxArea, double minSmallerLung) {
        public static final Limits DEFAULT = new Limits(0.05, 0.7, 0.01);
    }

    public static LungShape of(GrayImage mask) {
        List<Integer> sizes = new ArrayList<>();
        int[] lab = PostProcess.label(mask, sizes);
        int w = mask.width(), n = lab.length;
        double[] sx = new double[sizes.size()];
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (lab[i] == 0) continue;
            total++;
            sx[lab[i]] += i % w;
        }
        int a = 0, b = 0; // the two largest labels
        for (int k = 1; k < sizes.size(); k++) {
            if (a == 0 || sizes.get(k) > sizes.get(a)) { b = a; a = k; } else if (b == 0 || sizes.get(k) > sizes.get(b)) b = k;
        }
        double smaller = b == 0 ? 0 : sizes.get(b) / (double) n;
        boolean apart = false;
        if (a != 0 && b != 0) {
            double ca = sx[a] / sizes.get(a), cb = sx[b] / sizes.get(b), mid = w / 2.0;
            apart = (ca - mid) * (cb - mid) < 0;
        }
        return new LungShape(total / (double) n, smaller, apart);
    }

    /** The refusal reason, or null when the shape is plausible. */
    public String reason(Limits l) {
        if (area < l.minArea()) return "lungs not found (" + pct(area) + " of the picture segmented as lung)";
        if (area > l.maxArea()) return "lungs not found (" + pct(area) + " of the picture segmented as lung: implausibly much)";
        if (smallerLung < l.minSmallerLung() || !sidesApart) return "lungs not found (not two lung fields either side of the middle)";
        return null;
    }

    private static String pct(double f) { return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * f); }
}
