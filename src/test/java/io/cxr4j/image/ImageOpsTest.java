package io.cxr4j.image;

import io.cxr4j.image.ImageOps.Rect;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageOpsTest {
    private static double mean(GrayImage g) {
        double s = 0;
        for (byte b : g.pixels()) s += b & 0xFF;
        return s / g.pixels().length;
    }

    @Test
    void resizeKeepsFlatImagesFlat() {
        GrayImage g = new GrayImage(37, 23);
        Arrays.fill(g.pixels(), (byte) 173);
        for (int[] size : new int[][] {{10, 7}, {224, 224}, {37, 23}, {5, 100}}) {
            GrayImage r = ImageOps.resize(g, size[0], size[1]);
            for (byte b : r.pixels()) assertEquals(173, b & 0xFF);
        }
    }

    @Test
    void downscalingAveragesEveryPixel() {
        // a 1-pixel checkerboard shrunk 4x must become uniform grey, not aliased black/white
        GrayImage g = new GrayImage(64, 64);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) g.set(x, y, (x + y) % 2 == 0 ? 255 : 0);
        GrayImage r = ImageOps.resize(g, 16, 16);
        for (int y = 1; y < 15; y++) for (int x = 1; x < 15; x++) assertEquals(127.5, r.get(x, y), 6);
    }

    @Test
    void resizePreservesMeanBrightness() {
        Random rnd = new Random(1);
        GrayImage g = new GrayImage(300, 200);
        rnd.nextBytes(g.pixels());
        assertEquals(mean(g), mean(ImageOps.resize(g, 224, 224)), 2.0);
        assertEquals(mean(g), mean(ImageOps.resize(g, 600, 400)), 2.0);
    }

    @Test
    void cropPadsOutsideWithBlack() {
        GrayImage g = new GrayImage(4, 4);
        Arrays.fill(g.pixels(), (byte) 9);
        GrayImage c = ImageOps.crop(g, new Rect(-2, -1, 3, 2));
        assertEquals(5, c.width());
        assertEquals(3, c.height());
        assertEquals(0, c.get(0, 0));
        assertEquals(0, c.get(1, 2));
        assertEquals(9, c.get(2, 1));
        assertEquals(9, c.get(4, 2));
    }

    @Test
    void nearestResizeKeepsLabelValues() {
        GrayImage g = new GrayImage(2, 2, new byte[] {0, (byte) 127, (byte) 255, 0});
        GrayImage r = ImageOps.resizeNearest(g, 7, 5);
        for (byte b : r.pixels()) {
            int v = b & 0xFF;
            assertEquals(true, v == 0 || v == 127 || v == 255);
        }
        assertEquals(255, r.get(0, 4));
    }

    /**
     * The plain form of the triangle filter (each output pixel filtered on its own, weights as
     * documented on {@link ImageOps#resize}): the optimised resize must give exactly the same bytes.
     */
    static GrayImage plainResize(GrayImage img, int nw, int nh) {
        int sw = img.width(), sh = img.height();
        float[] tmp = new float[nw * sh];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < nw; x++) {
                float acc = 0;
                double[] w = triangle(sw, nw, x);
                for (int k = 0; k < w.length - 1; k++) acc += (float) w[k + 1] * (img.get((int) w[0] + k, y));
                tmp[y * nw + x] = acc;
            }
        }
        byte[] out = new byte[nw * nh];
        for (int y = 0; y < nh; y++) {
            double[] w = triangle(sh, nh, y);
            for (int x = 0; x < nw; x++) {
                float acc = 0;
                for (int k = 0; k < w.length - 1; k++) acc += (float) w[k + 1] * tmp[((int) w[0] + k) * nw + x];
                out[y * nw + x] = (byte) Math.max(0, Math.min(255, Math.round(acc)));
            }
        }
        return new GrayImage(nw, nh, out);
    }

    /** {first source index, weights...} of output i: triangle of radius max(1, scale), normalised, zero ends trimmed. */
    private static double[] triangle(int src, int dst, int i) {
        double scale = (double) src / dst, support = Math.max(1.0, scale), centre = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(centre - support)), hi = Math.min(src, (int) Math.ceil(centre + support));
        double[] w = new double[hi - lo];
        double sum = 0;
        for (int s = lo; s < hi; s++) {
            double d = Math.abs((s + 0.5 - centre) / support);
            w[s - lo] = d < 1 ? 1 - d : 0;
            sum += w[s - lo];
        }
        int a = 0, b = w.length;
        while (a < b && w[a] == 0) a++;
        while (b > a && w[b - 1] == 0) b--;
        double[] r = new double[b - a + 1];
        r[0] = lo + a;
        for (int k = a; k < b; k++) r[k - a + 1] = w[k] / sum;
        return r;
    }

    @Test
    void resizeGivesTheSameBytesAsThePlainFilter() {
        Random rnd = new Random(7);
        int[][] cases = {{351, 351, 224, 224}, {300, 200, 224, 224}, {37, 23, 10, 7}, {5, 3, 17, 11}, {1, 9, 4, 2},
                {64, 64, 16, 16}, {224, 224, 512, 380}, {1000, 3, 7, 1}, {13, 13, 12, 14}};
        for (int[] c : cases) {
            GrayImage g = new GrayImage(c[0], c[1]);
            rnd.nextBytes(g.pixels());
            // a smooth ramp too, where rounding ties are likelier than in noise
            GrayImage ramp = new GrayImage(c[0], c[1]);
            for (int y = 0; y < c[1]; y++) for (int x = 0; x < c[0]; x++) ramp.set(x, y, (x * 7 + y * 3) % 256);
            for (GrayImage src : new GrayImage[] {g, ramp}) {
                GrayImage fast = ImageOps.resize(src, c[2], c[3]);
                GrayImage plain = plainResize(src, c[2], c[3]);
                assertEquals(plain, fast, "resize " + c[0] + "x" + c[1] + " -> " + c[2] + "x" + c[3]);
            }
        }
    }
}
