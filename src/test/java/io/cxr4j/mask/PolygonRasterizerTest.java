package io.cxr4j.mask;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PolygonRasterizerTest {
    private static int[][] raster(int w, int h, List<double[]> paths) {
        byte[] r = new byte[w * h];
        PolygonRasterizer.fill(r, w, h, paths, (byte) 1);
        int[][] out = new int[h][w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) out[y][x] = r[y * w + x];
        return out;
    }

    private static int count(int[][] r) {
        int n = 0;
        for (int[] row : r) for (int v : row) n += v;
        return n;
    }

    @Test
    void axisAlignedSquareOnPixelCornersCoversExactlyItsPixels() {
        // square from (1,1) to (4,3): pixels x=1..3, y=1..2
        int[][] r = raster(6, 5, List.of(new double[] {1, 1, 4, 1, 4, 3, 1, 3}));
        assertEquals(6, count(r));
        assertEquals(1, r[1][1]);
        assertEquals(1, r[2][3]);
        assertEquals(0, r[0][1]);
        assertEquals(0, r[1][4]);
        assertEquals(0, r[3][1]);
    }

    @Test
    void pixelIsInsideOnlyWhenItsCentreIs() {
        // square from (0.6,0.6) to (2.4,2.4): centres at 0.5 are outside, 1.5 inside, 2.5 outside
        int[][] r = raster(4, 4, List.of(new double[] {0.6, 0.6, 2.4, 0.6, 2.4, 2.4, 0.6, 2.4}));
        assertEquals(1, count(r));
        assertEquals(1, r[1][1]);
        // (0.4, 0.4)-(2.6, 2.6) covers the centres 0.5, 1.5, 2.5
        assertEquals(9, count(raster(4, 4, List.of(new double[] {0.4, 0.4, 2.6, 0.4, 2.6, 2.6, 0.4, 2.6}))));
    }

    @Test
    void evenOddRuleMakesAHoleOfAnInnerPath() {
        double[] outer = {0, 0, 10, 0, 10, 10, 0, 10};
        double[] inner = {3, 3, 7, 3, 7, 7, 3, 7};
        int[][] r = raster(10, 10, List.of(outer, inner));
        assertEquals(100 - 16, count(r));
        assertEquals(0, r[5][5]);
        assertEquals(1, r[1][1]);
        // a self-overlapping path: the overlap counts twice and is outside under even-odd
        double[] twice = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0, 5, 0, 5, 10, 0, 10};
        int[][] r2 = raster(10, 10, List.of(twice));
        assertEquals(0, r2[5][2]);
        assertEquals(1, r2[5][7]);
    }

    @Test
    void verticesOutsideTheImageAreClipped() {
        int[][] r = raster(5, 5, List.of(new double[] {-3, -3, 8, -3, 8, 8, -3, 8}));
        assertEquals(25, count(r));
        int[][] half = raster(5, 5, List.of(new double[] {-10, -10, 2.2, -10, 2.2, 20, -10, 20}));
        assertEquals(10, count(half)); // columns 0 and 1 only (centre 2.5 > 2.2)
    }

    @Test
    void triangleMatchesAnalyticCentreTest() {
        double[] tri = {0.3, 0.2, 17.7, 3.1, 6.4, 14.9};
        int w = 20, h = 16;
        int[][] r = raster(w, h, List.of(tri));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(insideTriangle(tri, x + 0.5, y + 0.5) ? 1 : 0, r[y][x], "pixel " + x + "," + y);
            }
        }
    }

    private static boolean insideTriangle(double[] t, double px, double py) {
        boolean in = false;
        for (int i = 0, j = 2; i < 3; j = i++) {
            double xi = t[2 * i], yi = t[2 * i + 1], xj = t[2 * j], yj = t[2 * j + 1];
            if ((yi <= py) != (yj <= py) && px < xi + (py - yi) * (xj - xi) / (yj - yi)) in = !in;
        }
        return in;
    }

    @Test
    void degeneratePathsPaintNothing() {
        assertEquals(0, count(raster(5, 5, List.of(new double[] {1, 1, 3, 3}))));
        assertEquals(0, count(raster(5, 5, List.of(new double[] {1, 1, 4, 1, 2, 1}))));
    }
}
