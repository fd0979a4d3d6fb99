package io.cxr4j.image;

/** Pure functions on {@link GrayImage}s: cropping, padding and antialiased resizing. */
public final class ImageOps {
    private ImageOps() {}

    /** An integer rectangle, [x0, x1) x [y0, y1). It may extend beyond an image. */
    public record Rect(int x0, int y0, int x1, int y1) {
        public Rect {
            if (x1 <= x0 || y1 <= y0) throw new IllegalArgumentException("empty rectangle " + x0 + "," + y0 + "," + x1 + "," + y1);
        }
        public int width() { return x1 - x0; }
        public int height() { return y1 - y0; }

        /** Grows the rectangle by {@code fraction} of its size on every side. */
        public Rect expand(double fraction) {
            int dx = (int) Math.round(width() * fraction);
            int dy = (int) Math.round(height() * fraction);
            return new Rect(x0 - dx, y0 - dy, x1 + dx, y1 + dy);
        }

        /** The smallest square with the same centre that contains this rectangle. */
        public Rect square() {
            int side = Math.max(width(), height());
            int nx0 = x0 - (side - width()) / 2;
            int ny0 = y0 - (side - height()) / 2;
            return new Rect(nx0, ny0, nx0 + side, ny0 + side);
        }

        public Rect clip(int w, int h) {
            return new Rect(Math.max(0, x0), Math.max(0, y0), Math.min(w, x1), Math.min(h, y1));
        }
    }

    /** Crops {@code r}; parts of {@code r} outside the image are filled with 0 (black). */
    public static GrayImage crop(GrayImage img, Rect r) {
        int w = r.width(), h = r.height();
        byte[] out = new byte[Math.multiplyExact(w, h)];
        byte[] in = img.pixels();
        int sx0 = Math.max(0, r.x0()), sx1 = Math.min(img.width(), r.x1());
        if (sx1 > sx0) {
            for (int y = Math.max(0, r.y0()); y < Math.min(img.height(), r.y1()); y++) {
                System.arraycopy(in, y * img.width() + sx0, out, (y - r.y0()) * w + (sx0 - r.x0()), sx1 - sx0);
            }
        }
        return new GrayImage(w, h, out);
    }

    /**
     * Resizes with a separable triangle (bilinear) filter whose support widens when shrinking, so
     * downscaling averages every source pixel instead of skipping some (the same family as Pillow's
     * BILINEAR resampling). Pixel centres are aligned (half-pixel convention).
     *
     * <p>Horizontal pass first, into float rows, then the vertical pass; each output is the float sum
     * {@code 0 + w0*s0 + w1*s1 + ...} in source order, rounded half up and clamped to 0..255. For speed
     * the horizontal pass runs one tap at a time across a whole row (every output pixel padded to the
     * same number of taps with zero weights, which leave the sums unchanged), so consecutive outputs
     * do not wait on each other's additions, and only the source rows the vertical pass reads are
     * filtered; the vertical pass runs along rows (x innermost). The result is bit-identical to
     * filtering each output pixel on its own ({@code ImageOpsTest} checks this against that plain form).
     */
    public static GrayImage resize(GrayImage img, int newW, int newH) {
        if (newW <= 0 || newH <= 0) throw new IllegalArgumentException("target size must be positive");
        if (newW == img.width() && newH == img.height()) return img.copy();
        int sw = img.width(), sh = img.height();
        Filter fx = Filter.of(sw, newW);
        Filter fy = Filter.of(sh, newH);
        byte[] src = img.pixels();
        // horizontal pass into float rows, only for the rows [r0, r1) that some output row uses
        int r0 = fy.start[0], r1 = 0;
        for (int y = 0; y < newH; y++) {
            r0 = Math.min(r0, fy.start[y]);
            r1 = Math.max(r1, fy.start[y] + fy.count[y]);
        }
        int taps = fx.maxCount;
        int[] at = new int[newW];      // first source column read for output x (start moved left if needed)
        float[] wk = new float[taps * newW]; // tap k of output x at [k * newW + x]; zero for padding
        for (int x = 0; x < newW; x++) {
            int st = Math.min(fx.start[x], sw - taps); // taps <= sw, so st >= 0
            int lead = fx.start[x] - st;
            at[x] = st;
            for (int k = 0; k < fx.count[x]; k++) wk[(lead + k) * newW + x] = fx.weights[x * fx.taps + k];
        }
        float[] tmp = new float[(r1 - r0) * newW];
        for (int y = r0; y < r1; y++) {
            int rowOff = y * sw;
            int outOff = (y - r0) * newW;
            for (int x = 0; x < newW; x++) tmp[outOff + x] = 0f + wk[x] * (src[rowOff + at[x]] & 0xFF);
            for (int k = 1; k < taps; k++) {
                int wo = k * newW, so = rowOff + k;
                for (int x = 0; x < newW; x++) tmp[outOff + x] += wk[wo + x] * (src[so + at[x]] & 0xFF);
            }
        }
        // vertical pass, row by row
        byte[] out = new byte[newW * newH];
        float[] acc = new float[newW];
        for (int y = 0; y < newH; y++) {
            int base = y * fy.taps;
            int cnt = fy.count[y];
            int rowOff = (fy.start[y] - r0) * newW;
            float w0 = fy.weights[base];
            for (int x = 0; x < newW; x++) acc[x] = 0f + w0 * tmp[rowOff + x];
            for (int k = 1; k < cnt; k++) {
                float w = fy.weights[base + k];
                int ro = rowOff + k * newW;
                for (int x = 0; x < newW; x++) acc[x] += w * tmp[ro + x];
            }
            int oo = y * newW;
            for (int x = 0; x < newW; x++) {
                int v = Math.round(acc[x]);
                out[oo + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
        return new GrayImage(newW, newH, out);
    }

    /** Nearest-neighbour resize, for label images such as masks whose values must not be blended. */
    public static GrayImage resizeNearest(GrayImage img, int newW, int newH) {
        byte[] out = new byte[Math.multiplyExact(newW, newH)];
        byte[] in = img.pixels();
        int[] xs = new int[newW];
        for (int x = 0; x < newW; x++) xs[x] = Math.min(img.width() - 1, (int) ((x + 0.5) * img.width() / newW));
        for (int y = 0; y < newH; y++) {
            int sy = Math.min(img.height() - 1, (int) ((y + 0.5) * img.height() / newH));
            int so = sy * img.width(), oo = y * newW;
            for (int x = 0; x < newW; x++) out[oo + x] = in[so + xs[x]];
        }
        return new GrayImage(newW, newH, out);
    }

    /** Precomputed 1-D resampling weights. */
    private static final class Filter {
        final int taps;
        /** The largest {@link #count} (at most the source length). */
        int maxCount;
        final int[] start;
        final int[] count;
        final float[] weights;

        private Filter(int taps, int n) {
            this.taps = taps;
            this.start = new int[n];
            this.count = new int[n];
            this.weights = new float[taps * n];
        }

        static Filter of(int srcLen, int dstLen) {
            double scale = (double) srcLen / dstLen;
            double support = Math.max(1.0, scale); // triangle radius in source pixels
            int taps = (int) Math.ceil(support) * 2 + 1;
            Filter f = new Filter(taps, dstLen);
            for (int i = 0; i < dstLen; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(srcLen, (int) Math.ceil(centre + support));
                double sum = 0;
                int n = 0;
                double[] w = new double[hi - lo];
                for (int s = lo; s < hi; s++) {
                    double d = Math.abs((s + 0.5 - centre) / support);
                    double wt = d < 1 ? 1 - d : 0;
                    w[s - lo] = wt;
                    sum += wt;
                }
                // trim zero weights at the ends so the inner loops stay short
                int a = 0, b = w.length;
                while (a < b && w[a] == 0) a++;
                while (b > a && w[b - 1] == 0) b--;
                if (sum == 0) { // cannot happen for valid sizes, but keep the output defined
                    a = Math.min(Math.max(0, (int) centre - lo), w.length - 1);
                    b = a + 1;
                    w[a] = 1;
                    sum = 1;
                }
                f.start[i] = lo + a;
                n = b - a;
                f.count[i] = n;
                f.maxCount = Math.max(f.maxCount, n);
                for (int k = 0; k < n; k++) f.weights[i * taps + k] = (float) (w[a + k] / sum);
            }
            return f;
        }
    }

    /**
     * Rotation by {@code angle} (radians) and scaling by {@code scale} about the centre of a square
     * {@code size} x {@code size} array, then a shift by ({@code tx}, {@code ty}) pixels; pixels mapped from
     * outside the source are 0. Bilinear, or nearest-neighbour for masks.
     */
    public static void affine(float[] src, int size, double angle, double scale, double tx, double ty, float[] dst, boolean nearest) {
        double c = Math.cos(angle) / scale, s = Math.sin(angle) / scale;
        double h = size / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                // inverse map: destination centre -> source coordinates
                double dx = x + 0.5 - h - tx, dy = y + 0.5 - h - ty;
                double sx = c * dx + s * dy + h - 0.5;
                double sy = -s * dx + c * dy + h - 0.5;
                int o = y * size + x;
                if (nearest) {
                    int ix = (int) Math.round(sx), iy = (int) Math.round(sy);
                    dst[o] = ix < 0 || iy < 0 || ix >= size || iy >= size ? 0 : src[iy * size + ix];
                    continue;
                }
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                double fx = sx - x0, fy = sy - y0;
                dst[o] = (float) (at(src, size, x0, y0) * (1 - fx) * (1 - fy) + at(src, size, x0 + 1, y0) * fx * (1 - fy)
                        + at(src, size, x0, y0 + 1) * (1 - fx) * fy + at(src, size, x0 + 1, y0 + 1) * fx * fy);
            }
        }
    }

    /** {@link #affine(float[], int, double, double, double, double, float[], boolean)} on 8-bit pixels (rounded). */
    public static void affine(byte[] src, int size, double angle, double scale, double tx, double ty, byte[] dst, boolean nearest) {
        float[] f = new float[src.length], out = new float[dst.length];
        for (int i = 0; i < f.length; i++) f[i] = src[i] & 0xFF;
        affine(f, size, angle, scale, tx, ty, out, nearest);
        for (int i = 0; i < out.length; i++) dst[i] = (byte) Math.min(255, Math.max(0, Math.round(out[i])));
    }

    private static float at(float[] src, int size, int x, int y) {
        return x < 0 || y < 0 || x >= size || y >= size ? 0 : src[y * size + x];
    }

    /** Separable Gaussian blur of a w x h float image (edges clamped); returns a new array. */
    public static float[] gaussianBlur(float[] src, int w, int h, double sigma) {
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= (float) sum;
        float[] tmp = new float[w * h], out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float a = 0;
                for (int i = -r; i <= r; i++) a += k[i + r] * src[y * w + Math.min(w - 1, Math.max(0, x + i))];
                tmp[y * w + x] = a;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float a = 0;
                for (int i = -r; i <= r; i++) a += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
                out[y * w + x] = a;
            }
        }
        return out;
    }
}
