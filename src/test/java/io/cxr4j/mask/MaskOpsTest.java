package io.cxr4j.mask;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps.Rect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MaskOpsTest {
    private static GrayImage box(int w, int h, int x0, int y0, int x1, int y1) {
        GrayImage g = new GrayImage(w, h);
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) g.set(x, y, 255);
        return g;
    }

    @Test
    void iouAndDiceOnHandMadeMasks() {
        GrayImage a = box(10, 10, 0, 0, 4, 5);  // 20 px
        GrayImage b = box(10, 10, 2, 0, 6, 5);  // 20 px, overlap 2x5 = 10
        assertEquals(10.0 / 30.0, MaskOps.iou(a, b), 1e-12);
        assertEquals(2 * 10.0 / 40.0, MaskOps.dice(a, b), 1e-12);
        assertEquals(1.0, MaskOps.iou(a, a), 0);
        assertEquals(0.0, MaskOps.iou(a, box(10, 10, 5, 6, 9, 9)), 0);
        assertEquals(1.0, MaskOps.dice(new GrayImage(3, 3), new GrayImage(3, 3)), 0);
    }

    @Test
    void applyIsABitwiseAnd() {
        GrayImage img = new GrayImage(2, 1, new byte[] {(byte) 200, (byte) 77});
        GrayImage m = new GrayImage(2, 1, new byte[] {(byte) 255, 0});
        GrayImage out = MaskOps.apply(img, m);
        assertEquals(200, out.get(0, 0));
        assertEquals(0, out.get(1, 0));
    }

    @Test
    void isEmptyMeansNoNonZeroPixel() {
        assertEquals(true, MaskOps.isEmpty(new GrayImage(5, 4)));
        assertEquals(false, MaskOps.isEmpty(box(5, 4, 4, 3, 5, 4))); // only the last pixel
        GrayImage one = new GrayImage(5, 4);
        one.set(0, 0, 1);
        assertEquals(false, MaskOps.isEmpty(one));
    }

    @Test
    void bboxFindsTheExtentOrNull() {
        assertEquals(new Rect(2, 3, 7, 5), MaskOps.bbox(box(10, 10, 2, 3, 7, 5)));
        assertNull(MaskOps.bbox(new GrayImage(4, 4)));
    }

    @Test
    void erodeShrinksAndDilateGrowsByTheRadius() {
        GrayImage m = box(12, 12, 2, 2, 9, 9); // 7 x 7
        assertEquals(25, MaskOps.count(MaskOps.erode(m, 1)));  // 5 x 5
        assertEquals(9, MaskOps.count(MaskOps.erode(m, 2)));   // 3 x 3
        assertEquals(0, MaskOps.count(MaskOps.erode(m, 4)));
        assertEquals(81, MaskOps.count(MaskOps.dilate(m, 1))); // 9 x 9
        GrayImage inner = box(16, 16, 4, 4, 11, 11);
        assertEquals(49, MaskOps.count(MaskOps.erode(MaskOps.dilate(inner, 2), 2))); // closing keeps a box
        // a mask touching the border is not eaten from outside the image
        assertEquals(2 * 12, MaskOps.count(MaskOps.erode(box(12, 12, 0, 0, 12, 3), 1)));
    }

    @Test
    void outlineKeepsOnlyBorderPixels() {
        GrayImage o = MaskOps.outline(box(10, 10, 2, 2, 7, 7));
        assertEquals(25 - 9, MaskOps.count(o));
        assertEquals(0, o.get(4, 4));
    }

    @Test
    void lungCropIsSquareAroundTheMaskAndMasksOutsidePixels() {
        GrayImage img = new GrayImage(20, 10);
        java.util.Arrays.fill(img.pixels(), (byte) 100);
        GrayImage mask = box(20, 10, 4, 2, 12, 6); // 8 x 4 box
        LungCrop c = new LungCrop(true, 0.0, 0);
        GrayImage out = c.apply(img, mask);
        assertEquals(8, out.width());
        assertEquals(8, out.height());
        // the box sits in the middle rows; rows above and below are outside the mask, so black
        assertEquals(0, out.get(0, 0));
        assertEquals(100, out.get(0, 3));
        GrayImage resized = new LungCrop(true, 0.0, 16).apply(img, mask);
        assertEquals(16, resized.width());
        assertEquals(100, resized.get(8, 8));
    }

    @Test
    void lungCropEqualsAndThenCropThenResize() {
        // the recipe crops before it ANDs; the result must be that of AND, crop (black outside), resize
        java.util.Random rnd = new java.util.Random(11);
        GrayImage img = new GrayImage(40, 30);
        rnd.nextBytes(img.pixels());
        GrayImage mask = box(40, 30, 1, 0, 39, 12); // wide box at the top: its square leaves the image
        mask.set(20, 20, 255);
        for (double margin : new double[] {0.0, 0.05, 0.3}) {
            for (int size : new int[] {0, 16, 64}) {
                LungCrop c = new LungCrop(true, margin, size);
                GrayImage expected = io.cxr4j.image.ImageOps.crop(MaskOps.apply(img, mask), c.region(mask));
                if (size > 0) expected = io.cxr4j.image.ImageOps.resize(expected, size, size);
                assertEquals(expected, c.apply(img, mask), "margin " + margin + " size " + size);
            }
        }
    }

    @Test
    void binariseThresholdsAtOneHalfInPlace() {
        GrayImage m = new GrayImage(4, 1, new byte[] {0, 127, (byte) 128, (byte) 200});
        GrayImage b = MaskOps.binarise(m);
        org.junit.jupiter.api.Assertions.assertSame(m, b, "the same image, changed in place");
        assertEquals(0, b.get(0, 0));
        assertEquals(0, b.get(1, 0));
        assertEquals(255, b.get(2, 0));
        assertEquals(255, b.get(3, 0));
    }
}
