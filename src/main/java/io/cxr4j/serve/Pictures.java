package io.cxr4j.serve;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageWriter;
import io.cxr4j.mask.Overlays;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

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
    static String heatmap(GrayImage film, GrayImage heat) {
        int w = film.width(), h = film.height();
        if (heat.width() != w || heat.height() != h) heat = resize(heat, w, h);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        byte[] f = film.pixels(), q = heat.pixels();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int v = f[i] & 0xFF, t = q[i] & 0xFF;
                int c = ramp(t);
                double a = 0.6 * t / 255.0;
                int r = (int) Math.round(v * (1 - a) + ((c >> 16) & 0xFF) * a);
                int g = (int) Math.round(v * (1 - a) + ((c >> 8) & 0xFF) * a);
                int b = (int) Math.round(v * (1 - a) + (c & 0xFF) * a);
                row[x] = (r << 16) | (g << 8) | b;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return base64Png(out);
    }

    /** Blue (0) through green and yellow to red (255). */
    static int ramp(int t) {
        double s = t / 255.0;
        int r = (int) Math.round(255 * clamp(1.5 - Math.abs(4 * s - 3)));
        int g = (int) Math.round(255 * clamp(1.5 - Math.abs(4 * s - 2)));
        int b = (int) Math.round(255 * clamp(1.5 - Math.abs(4 * s - 1)));
        return (r << 16) | (g << 8) | b;
    }

    private static double clamp(double v) { return Math.max(0, Math.min(1, v)); }

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
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", b)) throw new IOException("no PNG writer available");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: only a missing writer, an internal error
        }
        return Base64.getEncoder().encodeToString(b.toByteArray());
    }
}
