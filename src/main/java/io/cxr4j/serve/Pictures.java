package io.cxr4j.serve;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageWriter;
import io.cxr4j.mask.Overlays;

import java.awt.image.BufferedImage;
import java.util.Base64;

/** The pictures a result carries, as base64 PNG held in memory (nothing is written to disk). */
final class Pictures {
    /** The lung outline's colour (a green that reads on grey film). */
    static final int OUTLINE_RGB = 0x2ECC40;

    private Pictures() {}

    /** The film with the lung outline; the bare film when the model uses no mask. */
    static String overlay(GrayImage film, GrayImage lungMask) {
        BufferedImage img = lungMask == null ? ImageWriter.toBufferedImage(film) : Overlays.outline(film, lungMask, OUTLINE_RGB);
        return base64Png(img);
    }

    /**
     * The heat map (0-255, where the classifier looked) over the film: a blue-to-red ramp blended in
     * proportion to the heat, so cold areas show the film itself.
     */
    static String heatmap(GrayImage film, GrayImage mask, GrayImage heat) {
        int w = film.width(), h = film.height();
        if (heat.width() != w || heat.height() != h) heat = resize(heat, w, h);
        if (mask != null && (mask.width() != w || mask.height() != h)) mask = null;
        return base64Png(io.cxr4j.explain.HeatOverlay.render(film, mask, heat));
    }


    /** Nearest-neighbour resize (the heat map is coarse anyway). */
    private static GrayImage resize(GrayImage src, int w, int h) {
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int sy = (int) ((long) y * src.height() / h);
            for (int x = 0; x < w; x++) out[y * w + x] = src.pixels()[sy * src.width() + (int) ((long) x * src.width() / w)];
        }
        return new GrayImage(w, h, out);
    }

    static String base64Png(BufferedImage img) {
        return Base64.getEncoder().encodeToString(io.cxr4j.image.PngEncoder.encode(img));
    }
}
