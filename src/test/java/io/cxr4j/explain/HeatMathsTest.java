package io.cxr4j.explain;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps.Rect;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heat-map resampling, scaling, shares against a lung mask and the overlay, on synthetic maps and masks. */
class HeatMathsTest {
    /** A w x h mask with one filled rectangle. */
    static GrayImage box(int w, int h, int x0, int y0, int x1, int y1) {
        GrayImage m = new GrayImage(w, h);
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) m.set(x, y, 255);
        return m;
    }

    @Test
    void aConstantGridStaysConstantAndAGradientKeepsItsDirection() {
        float[] c = HeatMaps.upsample(new float[] {2, 2, 2, 2}, 2, 2, 7, 5);
        for (float v : c) assertEquals(2f, v, 1e-6f);
        float[] g = HeatMaps.upsample(new float[] {0, 1, 0, 1}, 2, 2, 8, 8);
        for (int y = 0; y < 8; y++) {
            assertEquals(0f, g[y * 8], 1e-6f, "clamped at the left edge");
            assertEquals(1f, g[y * 8 + 7], 1e-6f, "clamped at the right edge");
            for (int x = 1; x < 8; x++) assertTrue(g[y * 8 + x] >= g[y * 8 + x - 1]);
        }
        assertEquals(0.5f, (g[3] + g[4]) / 2, 1e-6f, "symmetric about the centre");
    }

    @Test
    void aGridOnACropRectangleLandsOnlyInsideThatRectangleOfTheFilm() {
        // the rectangle reaches beyond the film's left edge, as a square crop of lungs near the edge can
        Rect r = new Rect(-10, 20, 30, 60);
        float[] film = HeatMaps.sample(new float[] {1, 1, 1, 1}, 2, 2, r, 50, 80);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 50; x++) {
                boolean inside = x < 30 && y >= 20 && y < 60;
                assertEquals(inside ? 1f : 0f, film[y * 50 + x], 1e-6f, x + "," + y);
            }
        }
        // a single hot cell in the grid's top-left quarter stays in the rectangle's top-left quarter
        float[] hot = HeatMaps.sample(new float[] {1, 0, 0, 0}, 2, 2, new Rect(0, 0, 40, 40), 40, 40);
        double tl = 0, rest = 0;
        for (int y = 0; y < 40; y++) for (int x = 0; x < 40; x++) if (x < 20 && y < 20) tl += hot[y * 40 + x]; else rest += hot[y * 40 + x];
        assertTrue(tl > 2 * rest, tl + " vs " + rest);
    }

    @Test
    void grayScalingPutsTheMaximumAt255AndClipsNegatives() {
        GrayImage g = HeatMaps.toGray(new float[] {-1, 0, 0.5f, 2}, 2, 2);
        assertEquals(0, g.get(0, 0));
        assertEquals(0, g.get(1, 0));
        assertEquals(64, g.get(0, 1));
        assertEquals(255, g.get(1, 1));
        GrayImage none = HeatMaps.toGray(new float[] {0, -3, 0, 0}, 2, 2);
        for (byte b : none.pixels()) assertEquals(0, b);
    }

    @Test
    void sharesAgainstASyntheticMask() {
        int w = 100, h = 100;
        GrayImage mask = box(w, h, 20, 20, 80, 80); // 60 x 60 lung, core 40 x 40 after a 10 px erosion
        // all heat in the core: all inside, none on the rim
        float[] core = new float[w * h];
        for (int y = 40; y < 60; y++) for (int x = 40; x < 60; x++) core[y * w + x] = 1;
        HeatShare s = HeatShare.of(core, mask, 10);
        assertEquals(1.0, s.inLungs(), 1e-9);
        assertEquals(0.0, s.inRim(), 1e-9);
        assertEquals(0.0, s.justOutside(), 1e-9);
        assertEquals(1 - 40.0 * 40 / (60 * 60), s.rimArea(), 1e-9);
        // heat spread evenly over the lungs: the rim holds its area's share
        HeatShare even = HeatShare.of(floats(mask), mask, 10);
        assertEquals(1.0, even.inLungs(), 1e-9);
        assertEquals(even.rimArea(), even.inRim(), 1e-9);
        // a ring of heat straddling the outline: half on the rim, half just outside
        float[] ring = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int d = Math.max(Math.max(20 - x, x - 79), Math.max(20 - y, y - 79)); // >0 outside the box (Chebyshev)
                boolean rim = d <= 0 && Math.min(Math.min(x - 20, 79 - x), Math.min(y - 20, 79 - y)) < 10;
                boolean near = d > 0 && d <= 10;
                if (rim || near) ring[y * w + x] = 1;
            }
        }
        HeatShare r = HeatShare.of(ring, mask, 10);
        double rimPx = 60 * 60 - 40 * 40, nearPx = 80 * 80 - 60 * 60;
        assertEquals(rimPx / (rimPx + nearPx), r.inLungs(), 1e-9);
        assertEquals(r.inLungs(), r.inRim(), 1e-9);
        assertEquals(nearPx / (rimPx + nearPx), r.justOutside(), 1e-9);
        // heat far from the lungs counts in neither
        float[] far = new float[w * h];
        far[0] = 5;
        HeatShare f = HeatShare.of(far, mask, 10);
        assertEquals(0.0, f.inLungs() + f.justOutside(), 1e-9);
        assertNull(HeatShare.of(new float[w * h], mask, 10), "no heat, no shares");
        assertThrows(IllegalArgumentException.class, () -> HeatShare.of(new float[10], mask, 10));
    }

    @Test
    void theOverlayIsTheFilmsSizeWithTheOutlineAndHeatOnlyWhereThereIsHeat() {
        GrayImage film = new GrayImage(60, 40);
        java.util.Arrays.fill(film.pixels(), (byte) 100);
        GrayImage mask = box(60, 40, 10, 10, 30, 30);
        GrayImage heat = new GrayImage(60, 40);
        heat.set(50, 5, 255);
        BufferedImage pic = HeatOverlay.render(film, mask, heat);
        assertEquals(60, pic.getWidth());
        assertEquals(40, pic.getHeight());
        assertEquals(HeatOverlay.OUTLINE, pic.getRGB(10, 20) & 0xFFFFFF, "outline drawn");
        assertEquals(0x646464, pic.getRGB(20, 20) & 0xFFFFFF, "no heat: the film's grey");
        assertEquals(0x646464, pic.getRGB(45, 35) & 0xFFFFFF);
        int hot = pic.getRGB(50, 5);
        assertTrue(((hot >> 16) & 0xFF) > ((hot >> 8) & 0xFF) + 50 && ((hot >> 16) & 0xFF) > (hot & 0xFF) + 50,
                "full heat is red: " + Integer.toHexString(hot));
        assertThrows(IllegalArgumentException.class, () -> HeatOverlay.render(film, mask, new GrayImage(10, 10)));
        assertEquals(0x000080, HeatOverlay.colour(0) & 0xFFFFFF, "dark blue at zero");
    }

    private static float[] floats(GrayImage m) {
        float[] f = new float[m.pixels().length];
        for (int i = 0; i < f.length; i++) f[i] = m.pixels()[i] != 0 ? 1 : 0;
        return f;
    }

    @Test
    void theOverlayIsTheBlendOfEachPixelAndTheOutlineOnTop() {
        java.util.Random r = new java.util.Random(9);
        int w = 40, h = 30;
        GrayImage film = new GrayImage(w, h), heat = new GrayImage(w, h), mask = new GrayImage(w, h);
        for (int i = 0; i < w * h; i++) {
            film.pixels()[i] = (byte) r.nextInt(256);
            heat.pixels()[i] = (byte) r.nextInt(256);
        }
        for (int y = 10; y < 20; y++) for (int x = 10; x < 30; x++) mask.set(x, y, 255);
        java.awt.image.BufferedImage out = HeatOverlay.render(film, mask, heat);
        GrayImage edge = io.cxr4j.mask.MaskOps.outline(mask);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int want = edge.get(x, y) != 0 ? HeatOverlay.OUTLINE : HeatOverlay.blend(film.get(x, y), heat.get(x, y));
                assertEquals(want, out.getRGB(x, y) & 0xFFFFFF, x + "," + y);
            }
        }
        // no heat: the film's own grey; full heat: the ramp's red at 60%
        assertEquals(0x404040, HeatOverlay.blend(0x40, 0));
        int red = HeatOverlay.blend(0, 255);
        assertEquals(Math.round(0.6 * ((HeatOverlay.colour(255) >> 16) & 0xFF)), (red >> 16) & 0xFF);
    }

    @Test
    void theHeatOfASmallerCopyIsTheFilmsHeatScaledDown() {
        float[] grid = new float[16];
        grid[5] = 1; // one hot cell
        io.cxr4j.image.ImageOps.Rect rect = new io.cxr4j.image.ImageOps.Rect(0, -100, 800, 700); // a 800 x 600 film padded square
        Explanation e = new Explanation(0, grid, 4, rect, 800, 600, new GrayImage(64, 64));
        GrayImage full = e.filmHeat(), half = e.filmHeat(400, 300);
        assertEquals(400, half.width());
        assertEquals(300, half.height());
        for (int y = 0; y < 300; y += 7) {
            for (int x = 0; x < 400; x += 7) assertEquals(full.get(2 * x, 2 * y), half.get(x, y), 40, x + "," + y);
        }
        assertEquals(full, e.filmHeat(800, 600), "at the film's own size it is the film's heat");
    }
}
