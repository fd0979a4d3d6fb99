package io.cxr4j.mask;

import io.cxr4j.image.GrayImage;
import io.cxr4j.util.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LungMasksTest {
    private static Region rect(String name, double x0, double y0, double x1, double y1) {
        return new Region(name, List.of(new double[] {x0, y0, x1, y0, x1, y1, x0, y1}));
    }

    @Test
    void ignorePaintedAfterLungIsRemovedFromTheLung() throws Exception {
        List<Region> regions = List.of(rect("Lung", 0, 0, 6, 6), rect("Ignore", 2, 2, 4, 4));
        GrayImage sem = LungMasks.semantic(8, 8, regions);
        assertEquals(255, sem.get(1, 1));
        assertEquals(127, sem.get(2, 2));
        assertEquals(0, sem.get(7, 7));
        GrayImage lung = LungMasks.fromRegions(8, 8, regions);
        assertEquals(36 - 4, MaskOps.count(lung));
        assertEquals(0, lung.get(3, 3));
    }

    @Test
    void laterAnnotationsOverwriteEarlierOnes() {
        // Ignore first, then Lung over it: the later Lung wins
        GrayImage sem = LungMasks.semantic(8, 8, List.of(rect("Ignore", 2, 2, 4, 4), rect("Lung", 0, 0, 6, 6)));
        assertEquals(255, sem.get(3, 3));
    }

    @Test
    void refusesAnnotationsThatCannotBeRight() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> LungMasks.fromRegions(10, 10, List.of(rect("Ignore", 1, 1, 3, 3))));
        assertTrue(e.getMessage().contains("no Lung polygon"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> LungMasks.fromRegions(10, 10, List.of(new Region("Lung", List.of(new double[] {1, 1, 5, 5})))));
        assertTrue(e.getMessage().contains("2 points"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> LungMasks.fromRegions(100, 100, List.of(rect("Lung", 10, 10, 900, 50))));
        assertTrue(e.getMessage().contains("far outside"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> LungMasks.fromRegions(10, 10, List.of(rect("Lung", 2, 2, 2.2, 2.2))));
        assertTrue(e.getMessage().contains("cover no pixel"), e.getMessage());
    }

    @Test
    void slightlyOutsideVerticesAreAcceptedAndClipped() throws Exception {
        GrayImage lung = LungMasks.fromRegions(10, 10, List.of(rect("Lung", -0.7, -0.4, 10.6, 5)));
        assertEquals(50, MaskOps.count(lung));
    }

    @Test
    void lungMaskEqualsTheLungPartOfTheSemanticMaskWithAndWithoutIgnore() throws Exception {
        Region left = new Region("Lung", List.of(new double[] {1.2, 1.5, 9.7, 2.1, 8.3, 17.9, 2.2, 15.4}));
        Region right = new Region("lung", List.of(new double[] {11, 1, 19, 1, 19, 18, 11, 18}, new double[] {13, 4, 16, 4, 16, 9}));
        Region marker = new Region("IGNORE", List.of(new double[] {6, 10, 14, 10, 14, 14, 6, 14}));
        for (List<Region> regions : List.of(List.of(left, right), List.of(left, marker, right), List.of(left, right, marker))) {
            GrayImage lung = LungMasks.fromRegions(20, 20, regions);
            assertEquals(LungMasks.lungOnly(LungMasks.semantic(20, 20, regions)), lung);
            for (byte b : lung.pixels()) assertTrue(b == 0 || (b & 0xFF) == LungMasks.LUNG);
        }
        // the Ignore painted last removes lung pixels; painted before the right lung it removes fewer
        assertTrue(MaskOps.count(LungMasks.fromRegions(20, 20, List.of(left, right, marker)))
                < MaskOps.count(LungMasks.fromRegions(20, 20, List.of(left, marker, right))));
    }
}
