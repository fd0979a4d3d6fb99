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
}
