package io.cxr4j.quality;

import io.cxr4j.image.GrayImage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QualityTest {
    private static GrayImage smooth(int n) {
        GrayImage g = new GrayImage(n, n);
        for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) {
            g.set(x, y, (int) (128 + 60 * Math.sin(x / 20.0) * Math.cos(y / 25.0)));
        }
        return g;
    }

    private static GrayImage withNoise(GrayImage g, double sigma, long seed) {
        Random r = new Random(seed);
        GrayImage o = g.copy();
        for (int i = 0; i < o.pixels().length; i++) {
            int v = (int) Math.round((o.pixels()[i] & 0xFF) + sigma * r.nextGaussian());
            o.pixels()[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return o;
    }

    @Test
    void noiseEstimateTracksAddedGaussianNoise() {
        GrayImage base = smooth(256);
        double clean = Quality.measure(base).noise();
        double n5 = Quality.measure(withNoise(base, 5, 1)).noise();
        double n10 = Quality.measure(withNoise(base, 10, 2)).noise();
        assertTrue(clean < 1.0, "clean " + clean);
        assertEquals(5, n5, 1.0);
        assertEquals(10, n10, 1.5);
    }

    @Test
    void contrastClippingAndResolution() {
        GrayImage flat = new GrayImage(100, 50);
        java.util.Arrays.fill(flat.pixels(), (byte) 128);
        Quality q = Quality.measure(flat);
        assertEquals(0, q.contrast(), 1e-9);
        assertEquals(50, q.minSide());
        assertTrue(q.flags(Quality.Thresholds.DEFAULT).containsAll(java.util.List.of("low_contrast", "low_resolution", "blurry")));
        GrayImage burnt = new GrayImage(300, 300);
        for (int i = 0; i < burnt.pixels().length; i++) burnt.pixels()[i] = (byte) (i % 300 < 60 ? 255 : (i % 200));
        Quality b = Quality.measure(burnt);
        assertEquals(0.2, b.clippedWhite(), 0.01);
        assertTrue(b.flags(Quality.Thresholds.DEFAULT).contains("overexposed"));
    }

    @Test
    void blurLowersSharpness() {
        GrayImage sharp = new GrayImage(256, 256);
        for (int y = 0; y < 256; y++) for (int x = 0; x < 256; x++) sharp.set(x, y, ((x / 8) + (y / 8)) % 2 == 0 ? 40 : 200);
        GrayImage blurred = io.cxr4j.image.ImageOps.resize(io.cxr4j.image.ImageOps.resize(sharp, 32, 32), 256, 256);
        assertTrue(Quality.measure(sharp).sharpness() > 10 * Quality.measure(blurred).sharpness());
        // thresholds can be switched off with NaN
        assertTrue(Quality.measure(blurred).flags(new Quality.Thresholds(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)).isEmpty());
    }
}
