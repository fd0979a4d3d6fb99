package io.cxr4j.explain;

import io.cxr4j.image.GrayImage;
import io.cxr4j.mask.MaskOps;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** The film in grey, the heat map over it in colour (more heat: warmer and more opaque), the lung outline on top. */
public final class HeatOverlay {
    private HeatOverlay() {}

    /** Outline colour, as in the mask overlays. */
    public static final int OUTLINE = 0x00E070;

    /** The picture; {@code mask} may be null (whole-image models), {@code heat} is 0-255 at the film's size. */
    public static BufferedImage render(GrayImage film, GrayImage mask, GrayImage heat) {
        int w = film.width(), h = film.height();
        if (heat.width() != w || heat.height() != h) throw new IllegalArgumentException("heat map " + heat + " is not the film's size " + film);
        byte[] edge = null;
        if (mask != null) {
            if (mask.width() != w || mask.height() != h) throw new IllegalArgumentException("lung mask " + mask + " is not the film's size " + film);
            edge = MaskOps.dilate(MaskOps.outline(mask), Math.max(0, Math.max(w, h) / 400)).pixels();
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData(); // written directly: no colour-model calls
        byte[] px = film.pixels(), hp = heat.pixels();
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = edge != null && edge[i] != 0 ? OUTLINE : BLENDED[((hp[i] & 0xFF) << 8) | (px[i] & 0xFF)];
        }
        return out;
    }

    /** Every (heat, grey) pair's colour, {@code BLENDED[heat << 8 | grey]}: {@link #blend} computed once. */
    private static final int[] BLENDED = new int[256 * 256];

    static {
        for (int t = 0; t < 256; t++) for (int v = 0; v < 256; v++) BLENDED[(t << 8) | v] = blend(v, t);
    }

    /** A film pixel of grey {@code v} under heat {@code t}: the ramp's colour blended in with opacity 0.6 t / 255. */
    static int blend(int v, int t) {
        int c = colour(t);
        double a = 0.6 * t / 255.0;
        int r = (int) Math.round(v * (1 - a) + ((c >> 16) & 0xFF) * a);
        int g = (int) Math.round(v * (1 - a) + ((c >> 8) & 0xFF) * a);
        int b = (int) Math.round(v * (1 - a) + (c & 0xFF) * a);
        return (r << 16) | (g << 8) | b;
    }

    /** A blue-cyan-yellow-red ramp for 0-255 (a "jet"-like map with a dark blue start). */
    static int colour(int t) {
        double s = t / 255.0;
        double r = clamp(1.5 - Math.abs(4 * s - 3)), g = clamp(1.5 - Math.abs(4 * s - 2)), b = clamp(1.5 - Math.abs(4 * s - 1));
        return ((int) Math.round(r * 255) << 16) | ((int) Math.round(g * 255) << 8) | (int) Math.round(b * 255);
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : Math.min(1, v);
    }
}
