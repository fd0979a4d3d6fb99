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
}
