package io.cxr4j.explain;

import io.cxr4j.image.GrayImage;
import io.cxr4j.mask.MaskOps;

/**
 * How a heat map's positive mass lies against a lung mask: the share inside the lungs, the share on the
 * lungs' rim (lung pixels within {@code band} pixels of the background: the mask's outer band), and the
 * share just outside (background within {@code band} pixels of the lungs). {@code rimArea} is the rim's
 * share of the lung area, what {@code inRim} would be if the heat inside the lungs were spread evenly; a
 * rim share well above it means the heat sits on the outline, i.e. the model reads the mask's shape.
 */
public record HeatShare(double inLungs, double inRim, double justOutside, double rimArea) {
    /** The rim and ring width used for the figures in metrics.json, in pixels of the model's input. */
    public static final int BAND = 10;

    /** The shares of {@code heat} (one value per pixel of {@code mask}); null when no heat is positive. */
    public static HeatShare of(float[] heat, GrayImage mask, int band) {
        if (heat.length != mask.pixels().length) throw new IllegalArgumentException("heat map and mask differ in size");
        byte[] m = mask.pixels();
        byte[] core = MaskOps.erode(mask, band).pixels();
        byte[] grown = MaskOps.dilate(mask, band).pixels();
        double total = 0, in = 0, rim = 0, near = 0;
        long lungPx = 0, rimPx = 0;
        for (int i = 0; i < heat.length; i++) {
            boolean lung = m[i] != 0;
            if (lung) {
                lungPx++;
                if (core[i] == 0) rimPx++;
            }
            float v = heat[i];
            if (!(v > 0)) continue;
            total += v;
            if (lung) {
                in += v;
                if (core[i] == 0) rim += v;
            } else if (grown[i] != 0) {
                near += v;
            }
        }
        if (total <= 0) return null;
        return new HeatShare(in / total, rim / total, near / total, lungPx == 0 ? 0 : (double) rimPx / lungPx);
    }
}
