package io.cxr4j.explain;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps.Rect;

/** Resampling a coarse heat grid to an image, in the input square or on the film, and scaling it to 0-255. */
public final class HeatMaps {
    private HeatMaps() {}

    /**
     * Bilinear upsampling of a {@code gw x gh} grid to {@code w x h}: grid cell centres sit at the centres
     * of the cells they cover (half-pixel convention), edges are clamped.
     */
    public static float[] upsample(float[] grid, int gw, int gh, int w, int h) {
        return sample(grid, gw, gh, new Rect(0, 0, w, h), w, h);
    }

    /**
     * A grid that covers {@code rect} of a {@code filmWidth x filmHeight} film (the rectangle may reach
     * beyond the film), resampled bilinearly at every film pixel inside the rectangle; 0 elsewhere.
     */
    public static float[] sample(float[] grid, int gw, int gh, Rect rect, int filmWidth, int filmHeight) {
        if (grid.length != gw * gh) throw new IllegalArgumentException("grid has " + grid.length + " values, expected " + gw * gh);
        float[] out = new float[Math.multiplyExact(filmWidth, filmHeight)];
        int xs = Math.max(0, rect.x0()), xe = Math.min(filmWidth, rect.x1());
        int ys = Math.max(0, rect.y0()), ye = Math.min(filmHeight, rect.y1());
        if (xs >= xe || ys >= ye) return out;
        int n = xe - xs;
        int[] ix0 = new int[n], ix1 = new int[n];
        float[] fx = new float[n];
        for (int x = xs; x < xe; x++) {
            double u = (x + 0.5 - rect.x0()) * gw / rect.width() - 0.5;
            int a = (int) Math.floor(u);
            fx[x - xs] = (float) (u - a);
            ix0[x - xs] = clamp(a, gw);
            ix1[x - xs] = clamp(a + 1, gw);
        }
        for (int y = ys; y < ye; y++) {
            double v = (y + 0.5 - rect.y0()) * gh / rect.height() - 0.5;
            int b = (int) Math.floor(v);
            float fy = (float) (v - b);
            int r0 = clamp(b, gh) * gw, r1 = clamp(b + 1, gh) * gw;
            for (int i = 0; i < n; i++) {
                float top = grid[r0 + ix0[i]] * (1 - fx[i]) + grid[r0 + ix1[i]] * fx[i];
                float bottom = grid[r1 + ix0[i]] * (1 - fx[i]) + grid[r1 + ix1[i]] * fx[i];
                out[y * filmWidth + xs + i] = top * (1 - fy) + bottom * fy;
            }
        }
        return out;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : Math.min(i, n - 1);
    }

    /** The map scaled so its maximum is 255 (negative values count as 0); all zero when nothing is positive. */
    public static GrayImage toGray(float[] heat, int w, int h) {
        float max = 0;
        for (float v : heat) max = Math.max(max, v);
        byte[] px = new byte[heat.length];
        if (max > 0) for (int i = 0; i < heat.length; i++) px[i] = (byte) Math.round(Math.max(0, heat[i]) / max * 255);
        return new GrayImage(w, h, px);
    }
}
