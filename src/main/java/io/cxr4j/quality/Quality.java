package io.cxr4j.quality;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;

import java.util.ArrayList;
import java.util.List;

/**
 * No-reference image quality measures that need no trained model (the original work used BRISQUE,
 * which needs one: see {@link io.cxr4j.quality.brisque.Brisque}). All values are computed on the 8-bit grey image; the texture measures (sharpness,
 * noise) on a copy resized so its longest side is {@link #ANALYSIS_SIDE} px, so that images stored at
 * different resolutions are comparable.
 *
 * <ul>
 *   <li>{@code minSide}: the shorter side in pixels (resolution).</li>
 *   <li>{@code contrast}: RMS contrast, the standard deviation of grey levels divided by 255 (0..0.5).</li>
 *   <li>{@code dynamicRange}: (99th - 1st percentile grey level) / 255.</li>
 *   <li>{@code mean}: mean grey level / 255 (exposure).</li>
 *   <li>{@code clippedWhite} / {@code clippedBlack}: fractions of pixels at &gt;= 254 / &lt;= 1
 *       (burnt-out or crushed areas; black borders count as clipped black).</li>
 *   <li>{@code sharpness}: variance of the 4-neighbour Laplacian (grey levels squared); low = blurry.</li>
 *   <li>{@code noise}: Immerkær's estimate of the standard deviation of additive noise, in grey levels.</li>
 * </ul>
 */
public record Quality(int width, int height, int minSide, double contrast, double dynamicRange, double mean,
                      double clippedWhite, double clippedBlack, double sharpness, double noise) {

    public static final int ANALYSIS_SIDE = 256;

    /** Thresholds for flags; any value may be turned off with NaN. */
    public record Thresholds(int minSide, double minContrast, double maxClipped, double minSharpness, double maxNoise) {
        public static final Thresholds DEFAULT = new Thresholds(200, 0.10, 0.05, 20.0, 2.0);
    }

    public static Quality measure(GrayImage img) {
        byte[] p = img.pixels();
        long[] hist = new long[256];
        for (byte b : p) hist[b & 0xFF]++;
        double n = p.length;
        double sum = 0, sum2 = 0;
        for (int v = 0; v < 256; v++) {
            sum += (double) v * hist[v];
            sum2 += (double) v * v * hist[v];
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
        int p1 = percentile(hist, n, 0.01), p99 = percentile(hist, n, 0.99);
        double white = (hist[254] + hist[255]) / n;
        double black = (hist[0] + hist[1]) / n;

        int side = Math.max(img.width(), img.height());
        GrayImage a = img;
        if (side != ANALYSIS_SIDE) {
            double s = (double) ANALYSIS_SIDE / side;
            a = ImageOps.resize(img, Math.max(3, (int) Math.round(img.width() * s)), Math.max(3, (int) Math.round(img.height() * s)));
        }
        return new Quality(img.width(), img.height(), Math.min(img.width(), img.height()), std / 255.0,
                (p99 - p1) / 255.0, mean / 255.0, white, black, laplacianVariance(a), noiseSigma(a));
    }

    private static int percentile(long[] hist, double n, double q) {
        double target = q * n;
        long acc = 0;
        for (int v = 0; v < 256; v++) {
            acc += hist[v];
            if (acc >= target) return v;
        }
        return 255;
    }

    /** Variance of the Laplacian (0 1 0 / 1 -4 1 / 0 1 0) over interior pixels. */
    static double laplacianVariance(GrayImage g) {
        int w = g.width(), h = g.height();
        if (w < 3 || h < 3) return 0;
        byte[] p = g.pixels();
        double s = 0, s2 = 0;
        long n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                int l = (p[i - 1] & 0xFF) + (p[i + 1] & 0xFF) + (p[i - w] & 0xFF) + (p[i + w] & 0xFF) - 4 * (p[i] & 0xFF);
                s += l;
                s2 += (double) l * l;
                n++;
            }
        }
        double m = s / n;
        return s2 / n - m * m;
    }

    /**
     * Immerkær (1996), "Fast noise variance estimation": sigma = sqrt(pi/2) / (6 (W-2)(H-2)) * sum |I * N|
     * with N = [1 -2 1; -2 4 -2; 1 -2 1], which cancels image structure up to second order.
     */
    static double noiseSigma(GrayImage g) {
        int w = g.width(), h = g.height();
        if (w < 3 || h < 3) return 0;
        byte[] p = g.pixels();
        double sum = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                int v = (p[i - w - 1] & 0xFF) - 2 * (p[i - w] & 0xFF) + (p[i - w + 1] & 0xFF)
                        - 2 * (p[i - 1] & 0xFF) + 4 * (p[i] & 0xFF) - 2 * (p[i + 1] & 0xFF)
                        + (p[i + w - 1] & 0xFF) - 2 * (p[i + w] & 0xFF) + (p[i + w + 1] & 0xFF);
                sum += Math.abs(v);
            }
        }
        return Math.sqrt(Math.PI / 2) * sum / (6.0 * (w - 2) * (h - 2));
    }

    /** The names of the thresholds this image fails (empty when none). */
    public List<String> flags(Thresholds t) {
        List<String> f = new ArrayList<>();
        if (minSide < t.minSide()) f.add("low_resolution");
        if (contrast < t.minContrast()) f.add("low_contrast");
        if (clippedWhite > t.maxClipped()) f.add("overexposed");
        if (sharpness < t.minSharpness()) f.add("blurry");
        if (noise > t.maxNoise()) f.add("noisy");
        return f;
    }
}
