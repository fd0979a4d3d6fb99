package io.cxr4j.mask;

import java.util.Arrays;
import java.util.List;

/**
 * Fills polygons into a raster exactly as the dataset's masks were made: a pixel is inside when its
 * centre (j + 0.5, i + 0.5) is inside the shape under the even-odd rule over all of the shape's
 * paths. Vertices outside the raster are allowed; the fill is clipped.
 */
public final class PolygonRasterizer {
    private PolygonRasterizer() {}

    /**
     * Sets every pixel of {@code raster} (row-major, {@code width x height}) inside the shape formed by
     * {@code paths} to {@code value}.
     */
    public static void fill(byte[] raster, int width, int height, List<double[]> paths, byte value) {
        int edges = 0;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (double[] p : paths) {
            int n = p.length / 2;
            if (n >= 2) edges += n;
            for (int k = 1; k < p.length; k += 2) {
                minY = Math.min(minY, p[k]);
                maxY = Math.max(maxY, p[k]);
            }
        }
        if (edges == 0) return;
        // Edge table: (x0, y0, x1, y1) with y0 < y1; horizontal edges never cross a scanline.
        double[] ex0 = new double[edges], ey0 = new double[edges], ex1 = new double[edges], ey1 = new double[edges];
        int m = 0;
        for (double[] p : paths) {
            int n = p.length / 2;
            if (n < 2) continue;
            for (int k = 0; k < n; k++) {
                double xa = p[2 * k], ya = p[2 * k + 1];
                int k2 = (k + 1) % n;
                double xb = p[2 * k2], yb = p[2 * k2 + 1];
                if (ya == yb) continue;
                if (ya < yb) { ex0[m] = xa; ey0[m] = ya; ex1[m] = xb; ey1[m] = yb; }
                else { ex0[m] = xb; ey0[m] = yb; ex1[m] = xa; ey1[m] = ya; }
                m++;
            }
        }
        // sort edges by top y so each scanline scans a window of candidates
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        final double[] fy0 = ey0;
        Arrays.sort(order, (a, b) -> Double.compare(fy0[a], fy0[b]));
        double[] sx0 = new double[m], sy0 = new double[m], sx1 = new double[m], sy1 = new double[m];
        for (int i = 0; i < m; i++) {
            int o = order[i];
            sx0[i] = ex0[o]; sy0[i] = ey0[o]; sx1[i] = ex1[o]; sy1[i] = ey1[o];
        }
        int rowStart = Math.max(0, (int) Math.floor(minY - 0.5));
        int rowEnd = Math.min(height - 1, (int) Math.ceil(maxY - 0.5));
        double[] xs = new double[m];
        int[] active = new int[m];
        int nActive = 0;
        int next = 0;
        for (int row = rowStart; row <= rowEnd; row++) {
            double yc = row + 0.5;
            // add edges whose top is at or above the scanline
            while (next < m && sy0[next] <= yc) active[nActive++] = next++;
            int cnt = 0;
            int keep = 0;
            for (int a = 0; a < nActive; a++) {
                int e = active[a];
                if (sy1[e] <= yc) continue; // edge ended above this scanline: drop it
                active[keep++] = e;
                // half-open rule: crosses when y0 <= yc < y1
                double t = (yc - sy0[e]) / (sy1[e] - sy0[e]);
                xs[cnt++] = sx0[e] + t * (sx1[e] - sx0[e]);
            }
            nActive = keep;
            if (cnt < 2) continue;
            Arrays.sort(xs, 0, cnt);
            int off = row * width;
            for (int k = 0; k + 1 < cnt; k += 2) {
                // pixel j is inside when xs[k] <= j + 0.5 < xs[k+1]
                int j0 = (int) Math.ceil(xs[k] - 0.5);
                int j1 = (int) Math.ceil(xs[k + 1] - 0.5); // exclusive
                if (j0 < 0) j0 = 0;
                if (j1 > width) j1 = width;
                if (j1 > j0) Arrays.fill(raster, off + j0, off + j1, value);
            }
        }
    }
}
