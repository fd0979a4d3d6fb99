package io.cxr4j.segment;

import io.cxr4j.image.GrayImage;
import io.cxr4j.mask.MaskOps;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostProcessTest {
    static void disc(GrayImage g, int cx, int cy, int r) {
        for (int y = 0; y < g.height(); y++) for (int x = 0; x < g.width(); x++) {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) g.set(x, y, 255);
        }
    }

    @Test
    void keepsTheTwoLargestRegions() {
        GrayImage g = new GrayImage(100, 60);
        disc(g, 25, 30, 15);   // lung
        disc(g, 75, 30, 14);   // lung
        disc(g, 50, 5, 3);     // speck
        disc(g, 50, 55, 4);    // speck
        GrayImage k = PostProcess.keepLargest(g, 2);
        assertEquals(0, k.get(50, 5));
        assertEquals(0, k.get(50, 55));
        assertEquals(255, k.get(25, 30));
        assertEquals(255, k.get(75, 30));
    }

    @Test
    void fillsHolesButNotTheOutside() {
        GrayImage g = new GrayImage(40, 40);
        disc(g, 20, 20, 15);
        for (int y = 17; y < 23; y++) for (int x = 17; x < 23; x++) g.set(x, y, 0); // a hole
        GrayImage f = PostProcess.fillHoles(g);
        assertEquals(255, f.get(20, 20));
        assertEquals(0, f.get(1, 1));
        assertEquals(MaskOps.count(g) + 36, MaskOps.count(f));
    }

    @Test
    void smoothingRemovesJaggiesAndKeepsTheArea() {
        GrayImage g = new GrayImage(80, 80);
        disc(g, 40, 40, 25);
        for (int y = 0; y < 80; y += 2) g.set(65, y, 255); // one-pixel spikes on the edge
        GrayImage s = PostProcess.smooth(g, 2);
        assertEquals(0, s.get(65, 10));
        GrayImage clean = new GrayImage(80, 80);
        disc(clean, 40, 40, 25);
        assertTrue(MaskOps.iou(s, clean) > 0.97);
        GrayImage all = PostProcess.apply(g);
        assertTrue(MaskOps.iou(all, clean) > 0.95);
    }
}
