package io.cxr4j.mask;

import io.cxr4j.image.GrayImage;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Colour pictures of masks over X-rays, for people to check a mask at a glance. */
public final class Overlays {
    private Overlays() {}

    /**
     * The X-ray in grey with the lung area lightly tinted and its outline drawn in a strong colour
     * ({@code rgb}); the outline is thickened on large images so it stays visible when scaled down.
     */
    public static BufferedImage outline(GrayImage xray, GrayImage mask, int rgb) {
        int w = xray.width(), h = xray.height();
        int thickness = Math.max(0, Math.max(w, h) / 400);
        GrayImage edge = MaskOps.dilate(MaskOps.outline(mask), thickness);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = ((DataBufferInt) out.getRaster().getDataBuffer()).getData(); // written directly: no colour-model calls
        int cr = (rgb >> 16) & 0xFF, cg = (rgb >> 8) & 0xFF, cb = rgb & 0xFF;
        byte[] px = xray.pixels(), m = mask.pixels(), e = edge.pixels();
        for (int i = 0; i < row.length; i++) {
            int v = px[i] & 0xFF;
            int r = v, g = v, b = v;
            if (e[i] != 0) { r = cr; g = cg; b = cb; }
            else if (m[i] != 0) { r = (v * 4 + cr) / 5; g = (v * 4 + cg) / 5; b = (v * 4 + cb) / 5; }
            row[i] = (r << 16) | (g << 8) | b;
        }
        return out;
    }
}
