package io.cxr4j.check;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;

/**
 * What the check network sees: the whole film squashed to a square of {@code size} px, z-scored over its
 * pixels (so an inverted film is the negative of the upright one). Pure.
 */
public final class CheckInput {
    private CheckInput() {}

    public static GrayImage square(GrayImage img, int size) {
        return img.width() == size && img.height() == size ? img : ImageOps.resize(img, size, size);
    }

    /** Writes the z-scored square into {@code dst} at {@code offset}. */
    public static void toInput(GrayImage square, float[] dst, int offset) {
        byte[] p = square.pixels();
        double sum = 0, sum2 = 0;
        for (byte b : p) {
            int v = b & 0xFF;
            sum += v;
            sum2 += (double) v * v;
        }
        double mean = sum / p.length;
        double sd = Math.sqrt(Math.max(0, sum2 / p.length - mean * mean));
        double inv = sd < 1e-3 ? 0 : 1 / sd;
        for (int i = 0; i < p.length; i++) dst[offset + i] = (float) (((p[i] & 0xFF) - mean) * inv);
    }
}
