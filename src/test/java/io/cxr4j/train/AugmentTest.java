package io.cxr4j.train;

import io.cxr4j.prep.Augment;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AugmentTest {
    @Test
    void identityTransformKeepsTheImage() {
        int s = 16;
        byte[] img = new byte[s * s];
        new Random(1).nextBytes(img);
        byte[] out = new byte[s * s];
        io.cxr4j.image.ImageOps.affine(img, s, 0, 1, 0, 0, out, false);
        assertArrayEquals(img, out);
        Augment.NONE.apply(img, img, s, new Random(2), out, new byte[s * s]);
        assertArrayEquals(img, out);
    }

    @Test
    void shiftMovesContentAndFillsWithBlack() {
        int s = 8;
        byte[] img = new byte[s * s];
        img[3 * s + 3] = (byte) 200;
        byte[] out = new byte[s * s];
        io.cxr4j.image.ImageOps.affine(img, s, 0, 1, 2, 1, out, true);
        assertEquals(200, out[4 * s + 5] & 0xFF);
        assertEquals(0, out[3 * s + 3]);
    }

    @Test
    void quarterTurnRotatesAboutTheCentre() {
        int s = 9;
        byte[] img = new byte[s * s];
        img[4 * s + 8] = (byte) 255; // right edge, middle row
        byte[] out = new byte[s * s];
        io.cxr4j.image.ImageOps.affine(img, s, Math.PI / 2, 1, 0, 0, out, true);
        int nonZero = 0, where = -1;
        for (int i = 0; i < out.length; i++) if (out[i] != 0) { nonZero++; where = i; }
        assertEquals(1, nonZero);
        // a +90 degree rotation in image coordinates (y down) moves the right-middle pixel to the bottom-middle
        assertEquals(8 * s + 4, where);
    }

    @Test
    void outlineJitterGrowsOrShrinksTheRegionWithinTheLimitAndLeavesTheImage() {
        int s = 40;
        io.cxr4j.image.GrayImage region = new io.cxr4j.image.GrayImage(s, s);
        for (int y = 10; y < 30; y++) for (int x = 8; x < 32; x++) region.set(x, y, 255);
        byte[] img = new byte[s * s];
        new Random(3).nextBytes(img);
        Augment jitter = Augment.NONE.withOutlineJitter(0.1); // up to 4 px
        int base = io.cxr4j.mask.MaskOps.count(region), grew = 0, shrank = 0;
        int lo = io.cxr4j.mask.MaskOps.count(io.cxr4j.mask.MaskOps.erode(region, 4));
        int hi = io.cxr4j.mask.MaskOps.count(io.cxr4j.mask.MaskOps.dilate(region, 4));
        Random rnd = new Random(5);
        for (int k = 0; k < 40; k++) {
            byte[] out = new byte[s * s], reg = new byte[s * s];
            jitter.apply(img, region.pixels(), s, rnd, out, reg);
            assertArrayEquals(img, out);
            int n = io.cxr4j.mask.MaskOps.count(new io.cxr4j.image.GrayImage(s, s, reg));
            if (n > base) grew++;
            if (n < base) shrank++;
            org.junit.jupiter.api.Assertions.assertTrue(n >= lo && n <= hi, "region of " + n + " px outside [" + lo + ", " + hi + "]");
        }
        org.junit.jupiter.api.Assertions.assertTrue(grew > 0 && shrank > 0, "grew " + grew + ", shrank " + shrank);
    }
}
