package io.cxr4j.quality.brisque;

import io.cxr4j.image.GrayImage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrisqueFeaturesTest {

    /** Gamma(k, 1) variates (Marsaglia and Tsang 2000; shape below 1 by the U^(1/k) boost). */
    static double gammaVariate(double k, Random r) {
        if (k < 1) return gammaVariate(k + 1, r) * Math.pow(r.nextDouble(), 1 / k);
        double d = k - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = r.nextGaussian(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = r.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    /**
     * Samples of an asymmetric generalised Gaussian with shape {@code nu} and left/right standard
     * deviations: a side is chosen with probability proportional to its scale beta = sigma
     * sqrt(Gamma(1/nu) / Gamma(3/nu)), the magnitude is beta G^(1/nu) with G ~ Gamma(1/nu).
     */
    static float[] aggdSamples(double nu, double sigmaLeft, double sigmaRight, int n, long seed) {
        Random r = new Random(seed);
        double k = Math.sqrt(GammaFunction.gamma(1 / nu) / GammaFunction.gamma(3 / nu));
        double bl = sigmaLeft * k, br = sigmaRight * k;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double mag = Math.pow(gammaVariate(1 / nu, r), 1 / nu);
            v[i] = (float) (r.nextDouble() < bl / (bl + br) ? -bl * mag : br * mag);
        }
        return v;
    }

    @Test
    void gammaFunctionMatchesKnownValues() {
        double sqrtPi = Math.sqrt(Math.PI);
        assertEquals(sqrtPi, GammaFunction.gamma(0.5), 1e-14 * sqrtPi);
        assertEquals(sqrtPi / 2, GammaFunction.gamma(1.5), 1e-14);
        assertEquals(1.0, GammaFunction.gamma(1), 1e-14);
        assertEquals(24.0, GammaFunction.gamma(5), 24e-14);
        assertEquals(87178291200.0, GammaFunction.gamma(15), 87178291200.0 * 1e-13); // 14!
        assertEquals(9.513507698668731836, GammaFunction.gamma(0.1), 1e-12);        // tabulated
        assertEquals(2.678938534707747633, GammaFunction.gamma(1.0 / 3), 1e-13);    // tabulated
    }

    @Test
    void gridWalkFindsGaussianAndLaplaceShapes() {
        // moment ratio (E|X|)^2 / E[X^2]: 2/pi for a Gaussian (shape 2), 1/2 for a Laplacian (shape 1)
        assertEquals(2.0, BrisqueFeatures.Aggd.shapeFor(2 / Math.PI), 0.0015);
        assertEquals(1.0, BrisqueFeatures.Aggd.shapeFor(0.5), 0.0015);
        assertEquals(0.2, BrisqueFeatures.GRID[0], 0);
        assertEquals(10.0, BrisqueFeatures.GRID[BrisqueFeatures.GRID.length - 1], 0.0011);
        // a ratio outside the grid's range stops at an end; NaN walks to the last point (as OpenCV's loop)
        assertEquals(0.2, BrisqueFeatures.Aggd.shapeFor(0.0), 0);
        assertEquals(BrisqueFeatures.GRID[BrisqueFeatures.GRID.length - 1], BrisqueFeatures.Aggd.shapeFor(Double.NaN), 0);
    }

    @Test
    void aggdFitRecoversShapeAndScaleOfSymmetricGgdSamples() {
        for (double shape : new double[] {0.6, 1.0, 2.0, 3.0}) {
            float[] v = aggdSamples(shape, 0.3, 0.3, 400_000, (long) (shape * 1000));
            BrisqueFeatures.Aggd a = BrisqueFeatures.Aggd.fit(v, v.length, 1, 0, 0);
            assertEquals(shape, a.shape(), 0.04 * shape, "shape " + shape);
            assertEquals(0.3, a.left(), 0.01, "left sigma, shape " + shape);
            assertEquals(0.3, a.right(), 0.01, "right sigma, shape " + shape);
            assertEquals(0, a.mean(), 0.01, "mean, shape " + shape);
        }
    }

    @Test
    void aggdFitRecoversAsymmetricScalesAndTheSampleMean() {
        float[] v = aggdSamples(1.5, 0.2, 0.5, 400_000, 7);
        BrisqueFeatures.Aggd a = BrisqueFeatures.Aggd.fit(v, 1000, 400, 0, 0);
        assertEquals(1.5, a.shape(), 0.06);
        assertEquals(0.2, a.left(), 0.005);
        assertEquals(0.5, a.right(), 0.01);
        double mean = 0;
        for (float x : v) mean += x;
        mean /= v.length;
        assertEquals(mean, a.mean(), 0.01, "the AGGD mean parameter is the distribution's mean");
        assertTrue(a.mean() > 0.1);
    }

    @Test
    void zerosAndNaNsCountOnlyInTheTotal() {
        // two +1, two -1, three zeros and a NaN: both sigmas are 1; (mean |x|)^2 / mean x^2 over all
        // eight entries is (4/8)^2 / (4/8) = 1/2, the Laplacian's ratio, so the shape is 1
        float[] v = {1, -1, 1, -1, 0, 0, Float.NaN, 0};
        BrisqueFeatures.Aggd a = BrisqueFeatures.Aggd.fit(v, 4, 2, 0, 0);
        assertEquals(1.0, a.left(), 0);
        assertEquals(1.0, a.right(), 0);
        assertEquals(1.0, a.shape(), 0.0015);
    }

    @Test
    void neighbourProductsUseRightLowerAndDiagonalNeighbours() {
        // 3x2 image; products with the right neighbour: a*b, b*c, d*e, e*f (the last column pairs with 0)
        float[] v = {1, 2, -3,
                     4, -5, 6};
        BrisqueFeatures.Aggd h = BrisqueFeatures.Aggd.fit(v, 3, 2, 0, 1);
        // positives: 2 ; negatives: -6, -20, -30
        assertEquals(Math.sqrt(4.0), h.right(), 1e-12);
        assertEquals(Math.sqrt((36 + 400 + 900) / 3.0), h.left(), 1e-12);
        BrisqueFeatures.Aggd vert = BrisqueFeatures.Aggd.fit(v, 3, 2, 1, 0); // 1*4, 2*-5, -3*6
        assertEquals(4.0, vert.right(), 1e-12);
        assertEquals(Math.sqrt((100 + 324) / 2.0), vert.left(), 1e-12);
        BrisqueFeatures.Aggd d1 = BrisqueFeatures.Aggd.fit(v, 3, 2, 1, 1); // 1*-5, 2*6
        assertEquals(5.0, d1.left(), 1e-12);
        assertEquals(12.0, d1.right(), 1e-12);
        BrisqueFeatures.Aggd d2 = BrisqueFeatures.Aggd.fit(v, 3, 2, -1, 1); // row 1 with row 0, right: 4*2, -5*-3
        assertEquals(Math.sqrt((64 + 225) / 2.0), d2.right(), 1e-12);
        assertTrue(Double.isNaN(d2.left()), "no negative products");
    }

    @Test
    void gaussianKernelIsTheNormalisedSevenTapGaussian() {
        float[] k = BrisqueFeatures.KERNEL;
        assertEquals(7, k.length);
        double sum = 0;
        for (float x : k) sum += x;
        assertEquals(1.0, sum, 1e-6);
        // exp(-d^2 / (2 sigma^2)) with sigma = 7/6: ratio exp(-18/49) per unit step squared
        assertEquals(Math.exp(-18.0 / 49), k[4] / k[3], 1e-6);
        assertEquals(Math.exp(-4 * 18.0 / 49), k[5] / k[3], 1e-6);
        assertEquals(Math.exp(-9 * 18.0 / 49), k[6] / k[3], 1e-6);
        for (int i = 0; i < 3; i++) assertEquals(k[i], k[6 - i], 0);
    }

    @Test
    void blurSpreadsAnImpulseAsTheKernelsOuterProductAndReplicatesEdges() {
        int w = 15, h = 11;
        float[] img = new float[w * h];
        img[5 * w + 7] = 1;
        float[] b = BrisqueFeatures.blur(img, w, h, false);
        float[] k = BrisqueFeatures.KERNEL;
        for (int dy = -3; dy <= 3; dy++) for (int dx = -3; dx <= 3; dx++) {
            assertEquals(k[3 + dy] * k[3 + dx], b[(5 + dy) * w + 7 + dx], 1e-7);
        }
        assertEquals(0, b[0], 0);
        // a vertical step at the left edge: replicated borders keep a constant column constant
        float[] step = new float[w * h];
        for (int y = 0; y < h; y++) step[y * w] = 0.5f;
        float[] s = BrisqueFeatures.blur(step, w, h, false);
        double expected = 0.5 * (k[0] + k[1] + k[2] + k[3]); // taps at x = -3..0 all read column 0
        for (int y = 0; y < h; y++) assertEquals(expected, s[y * w], 1e-6);
        float[] sq = BrisqueFeatures.blur(step, w, h, true);
        assertEquals(expected / 2, sq[3 * w], 1e-6);
    }

    @Test
    void halfSizeResizeIsBicubicWithKeysMinusThreeQuarters() {
        // f(x) = x^2 sampled at x = 0..31. Halving samples source position 2 dx + 1/2 with weights
        // (-3/32, 19/32, 19/32, -3/32) at offsets -1..2 (Keys kernel, a = -0.75, at t = 1/2), so the
        // output is (2dx)^2 + 2dx + 1/8, not the true (2dx + 1/2)^2 nor the pixel-pair mean (+ 1/2).
        int w = 32, h = 6;
        float[] img = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img[y * w + x] = x * x / 1024f;
        float[] half = BrisqueFeatures.resizeCubic(img, w, h, 16, 3);
        for (int y = 0; y < 3; y++) {
            for (int dx = 1; dx <= 14; dx++) {
                double sx = 2 * dx;
                assertEquals((sx * sx + sx + 0.125) / 1024, half[y * 16 + dx], 1e-6, "dx " + dx);
            }
            // at the left edge the tap at -1 reads column 0 (value 0): 19/32 * 1 - 3/32 * 4 = 7/32
            assertEquals(7.0 / 32 / 1024, half[y * 16], 1e-7);
        }
        float[] same = BrisqueFeatures.resizeCubic(img, w, h, w, h);
        assertTrue(Arrays.equals(img, same));
    }

    @Test
    void greyLevelsBecomeFloatsScaledByOneOver255() {
        GrayImage g = new GrayImage(2, 1, new byte[] {0, (byte) 255});
        float[] f = BrisqueFeatures.toFloat(g);
        assertEquals(0f, f[0], 0);
        assertEquals(1.0, f[1], 1e-7);
    }

    @Test
    void flatImageHasUndefinedVariancesAndTheLastGridShape() {
        GrayImage flat = new GrayImage(40, 30);
        Arrays.fill(flat.pixels(), (byte) 200);
        float[] f = BrisqueFeatures.compute(flat);
        double last = BrisqueFeatures.GRID[BrisqueFeatures.GRID.length - 1];
        for (int scale = 0; scale < 2; scale++) {
            int at = 18 * scale;
            // every MSCN coefficient is 0 (or NaN): no positive or negative values to fit
            assertEquals((float) last, f[at], 0, "shape at scale " + scale);
            assertTrue(Float.isNaN(f[at + 1]), "variance at scale " + scale);
            for (int k = at + 2; k < at + 18; k += 4) {
                assertTrue(Float.isNaN(f[k + 1]) && Float.isNaN(f[k + 2]) && Float.isNaN(f[k + 3]), "feature " + (k + 1));
            }
        }
    }

    private static GrayImage texture(int w, int h, long seed) {
        Random r = new Random(seed);
        GrayImage g = new GrayImage(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            double v = 120 + 50 * Math.sin(x / 7.0) * Math.cos(y / 5.0) + 25 * r.nextGaussian();
            g.set(x, y, (int) Math.max(0, Math.min(255, Math.round(v))));
        }
        return g;
    }

    private static void assertFeaturesClose(float[] expected, float[] actual, int[] map, String what) {
        for (int i = 0; i < map.length; i++) {
            float e = expected[map[i]], a = actual[i];
            boolean shape = i % 18 == 0 || (i % 18 >= 2 && (i % 18 - 2) % 4 == 0);
            double tol = shape ? 0.0021 : 2e-4 * Math.abs(e) + 1e-6;
            assertEquals(e, a, tol, what + ": feature " + (i + 1) + " vs " + (map[i] + 1));
        }
    }

    /** Feature index map for each of the two scales: MSCN pair, then the H, V, D1, D2 blocks in the given order. */
    private static int[] blocks(int... order) {
        int[] m = new int[36];
        for (int s = 0; s < 2; s++) {
            m[18 * s] = 18 * s;
            m[18 * s + 1] = 18 * s + 1;
            for (int b = 0; b < 4; b++) for (int k = 0; k < 4; k++) m[18 * s + 2 + 4 * b + k] = 18 * s + 2 + 4 * order[b] + k;
        }
        return m;
    }

    @Test
    void transposingSwapsHorizontalAndVerticalFeatures() {
        GrayImage g = texture(64, 48, 3);
        GrayImage t = new GrayImage(48, 64);
        for (int y = 0; y < 48; y++) for (int x = 0; x < 64; x++) t.set(y, x, g.get(x, y));
        // rounding differs (the blur and resize run their passes in the other order), hence tolerances
        assertFeaturesClose(BrisqueFeatures.compute(g), BrisqueFeatures.compute(t), blocks(1, 0, 2, 3), "transpose");
    }

    @Test
    void mirroringSwapsTheTwoDiagonalFeatures() {
        GrayImage g = texture(64, 48, 4);
        GrayImage m = new GrayImage(64, 48);
        for (int y = 0; y < 48; y++) for (int x = 0; x < 64; x++) m.set(63 - x, y, g.get(x, y));
        assertFeaturesClose(BrisqueFeatures.compute(g), BrisqueFeatures.compute(m), blocks(0, 1, 3, 2), "mirror");
    }

    @Test
    void mscnOfAnImpulseFollowsTheFormula() {
        // one pixel v on black: at its centre mu = v c, E[I^2] = v^2 c with c = k3^2 the kernel's centre
        // weight, so sigma = v sqrt(c - c^2) and MSCN = (v - v c) / (sigma + 1/255)
        int w = 15, h = 15;
        float v = 200 / 255f;
        float[] img = new float[w * h];
        img[7 * w + 7] = v;
        float[] m = BrisqueFeatures.mscn(img, w, h);
        double c = (double) BrisqueFeatures.KERNEL[3] * BrisqueFeatures.KERNEL[3];
        double expected = (v - v * c) / (v * Math.sqrt(c - c * c) + 1 / 255.0);
        assertEquals(expected, m[7 * w + 7], 1e-5 * expected);
        // a neighbour at distance 1 (value 0): (0 - mu) / (sigma + 1/255) with weight c1 = k3 k4
        double c1 = (double) BrisqueFeatures.KERNEL[3] * BrisqueFeatures.KERNEL[4];
        double n = -v * c1 / (v * Math.sqrt(c1 - c1 * c1) + 1 / 255.0);
        assertEquals(n, m[7 * w + 8], 1e-5 * Math.abs(n));
        assertEquals(0, m[0], 0, "far from the impulse everything is 0");
    }

    private static int meanOf(int scale, int block) { return 18 * scale + 2 + 4 * block + 1; }

    @Test
    void neighbourBlocksComeInOpenCvOrderHorizontalVerticalDiagonalAntiDiagonal() {
        Random r = new Random(11);
        int w = 96, h = 80;
        int[] level = new int[w + h];
        for (int i = 0; i < level.length; i++) level[i] = 30 + r.nextInt(200);
        GrayImage columns = new GrayImage(w, h), antiDiagonals = new GrayImage(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            columns.set(x, y, (int) Math.max(0, Math.min(255, Math.round(level[x] + 2 * r.nextGaussian()))));
            antiDiagonals.set(x, y, (int) Math.max(0, Math.min(255, Math.round(level[x + y] + 2 * r.nextGaussian()))));
        }
        // constant down each column: vertical neighbours agree, so their products are positive on average
        float[] c = BrisqueFeatures.compute(columns);
        assertTrue(c[meanOf(0, 1)] > 0.1 && c[meanOf(0, 1)] > c[meanOf(0, 0)] + 0.1,
                "vertical mean " + c[meanOf(0, 1)] + " vs horizontal " + c[meanOf(0, 0)]);
        // constant along x + y: the upper-right neighbour (4th block, shift (-1, 1)) agrees
        float[] d = BrisqueFeatures.compute(antiDiagonals);
        assertTrue(d[meanOf(0, 3)] > 0.1 && d[meanOf(0, 3)] > d[meanOf(0, 2)] + 0.1,
                "anti-diagonal mean " + d[meanOf(0, 3)] + " vs diagonal " + d[meanOf(0, 2)]);
    }

    @Test
    void secondScaleRoundsOddSidesDown() {
        assertEquals(3, BrisqueFeatures.halfSize(7));
        assertEquals(4, BrisqueFeatures.halfSize(8));
        assertEquals(1, BrisqueFeatures.halfSize(2));
    }

    @Test
    void tooSmallImagesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BrisqueFeatures.compute(new GrayImage(1, 5)));
        assertEquals(36, BrisqueFeatures.compute(new GrayImage(2, 2, new byte[] {0, 50, 100, (byte) 150})).length);
    }
}
