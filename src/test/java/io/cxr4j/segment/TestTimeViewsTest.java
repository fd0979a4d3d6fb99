package io.cxr4j.segment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestTimeViewsTest {
    @Test
    void everyViewMapsBackOntoTheOriginalFrame() {
        int s = 64;
        byte[] img = new byte[s * s];
        // a bright disc off the centre: where it lands after a view and back tells if the inverse is right
        for (int y = 0; y < s; y++) for (int x = 0; x < s; x++) if (Math.hypot(x - 24, y - 30) < 10) img[y * s + x] = (byte) 255;
        for (TestTimeViews.View v : TestTimeViews.ALL) {
            byte[] seen = v.forward(img, s, false);
            float[] f = new float[seen.length];
            for (int i = 0; i < f.length; i++) f[i] = (seen[i] & 0xFF) / 255f;
            float[] back = v.back(f, s);
            double err = 0;
            int n = 0;
            for (int y = 8; y < s - 8; y++) for (int x = 8; x < s - 8; x++) {
                err += Math.abs(back[y * s + x] - (img[y * s + x] & 0xFF) / 255f);
                n++;
            }
            assertTrue(err / n < 0.02, v + ": mean error " + err / n);
        }
    }

    @Test
    void coverageIsZeroWhereAZoomCutTheImageOff() {
        TestTimeViews.View zoomIn = TestTimeViews.ALL.get(1);
        assertTrue(zoomIn.scale() > 1);
        float[] c = zoomIn.coverage(50);
        assertEquals(1f, c[25 * 50 + 25], 1e-6);
        assertEquals(0f, c[0], 1e-6);
        float[] id = TestTimeViews.ALL.get(0).coverage(50);
        assertEquals(1f, id[0], 1e-6);
    }

    @Test
    void viewsAreChosenByCountAndMixedViewsAreRefused() {
        assertEquals(1, TestTimeViews.first(1).size());
        assertTrue(TestTimeViews.first(1).get(0).identity());
        assertThrows(IllegalArgumentException.class, () -> TestTimeViews.first(0));
        assertThrows(IllegalArgumentException.class, () -> TestTimeViews.first(TestTimeViews.ALL.size() + 1));
        assertThrows(IllegalArgumentException.class, () -> new TestTimeViews.View(5, 1.1, 0, 0));
    }
}
