package io.cxr4j.mask;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps.Rect;

/** Pure mask maths: apply, measure and compare binary masks (non-zero = inside). */
public final class MaskOps {
    private MaskOps() {}

    private static void sameSize(GrayImage a, GrayImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("size mismatch: " + a + " vs " + b);
        }
    }

    /** Bitwise AND of the image with the mask: pixels outside the mask become 0. */
    public static GrayImage apply(GrayImage image, GrayImage mask) {
        sameSize(image, mask);
        byte[] in = image.pixels(), m = mask.pixels();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) out[i] = (byte) (in[i] & m[i]);
        return new GrayImage(image.width(), image.height(), out);
    }

    /** Whether the mask has no non-zero pixel (stops at the first one). */
    public static boolean isEmpty(GrayImage mask) {
        for (byte b : mask.pixels()) if (b != 0) return false;
        return true;
    }

    public static int count(GrayImage mask) {
        int n = 0;
        for (byte b : mask.pixels()) if (b != 0) n++;
        return n;
    }

    /** Bounding box of the non-zero pixels, or null for an empty mask. */
    public static Rect bbox(GrayImage mask) {
        int w = mask.width(), h = mask.height();
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        byte[] p = mask.pixels();
        for (int y = 0; y < h; y++) {
            int off = y * w;
            int first = -1, last = -1;
            for (int x = 0; x < w; x++) if (p[off + x] != 0) { first = x; break; }
            if (first < 0) continue;
            for (int x = w - 1; x >= first; x--) if (p[off + x] != 0) { last = x; break; }
            if (y < y0) y0 = y;
            y1 = y;
            if (first < x0) x0 = first;
            if (last > x1) x1 = last;
        }
        return x1 < 0 ? null : new Rect(x0, y0, x1 + 1, y1 + 1);
    }

    /** Intersection over union of two binary masks; 1.0 when both are empty. */
    public static double iou(GrayImage a, GrayImage b) {
        sameSize(a, b);
        long inter = 0, union = 0;
        byte[] pa = a.pixels(), pb = b.pixels();
        for (int i = 0; i < pa.length; i++) {
            boolean x = pa[i] != 0, y = pb[i] != 0;
            if (x && y) inter++;
            if (x || y) union++;
        }
        return union == 0 ? 1.0 : (double) inter / union;
    }

    /** Dice coefficient 2|A∩B| / (|A|+|B|); 1.0 when both are empty. */
    public static double dice(GrayImage a, GrayImage b) {
        sameSize(a, b);
        long inter = 0, sum = 0;
        byte[] pa = a.pixels(), pb = b.pixels();
        for (int i = 0; i < pa.length; i++) {
            boolean x = pa[i] != 0, y = pb[i] != 0;
            if (x && y) inter++;
            if (x) sum++;
            if (y) sum++;
        }
        return sum == 0 ? 1.0 : 2.0 * inter / sum;
    }

    /** Pixels of the mask that touch a background pixel (4-neighbourhood) or the image border. */
    public static GrayImage outline(GrayImage mask) {
        int w = mask.width(), h = mask.height();
        byte[] p = mask.pixels();
        byte[] out = new byte[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (p[i] == 0) continue;
                boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1
                        || p[i - 1] == 0 || p[i + 1] == 0 || p[i - w] == 0 || p[i + w] == 0;
                if (edge) out[i] = (byte) 255;
            }
        }
        return new GrayImage(w, h, out);
    }

    /**
     * Thresholds a grey mask (e.g. one that was resized with antialiasing) back to binary at one half:
     * 255 where the value is at least 128, 0 elsewhere. Changes {@code mask} in place and returns it.
     */
    public static GrayImage binarise(GrayImage mask) {
        byte[] p = mask.pixels();
        for (int i = 0; i < p.length; i++) p[i] = (p[i] & 0xFF) >= 128 ? (byte) 255 : 0;
        return mask;
    }

    /** Grows a binary mask by {@code r} pixels (square structuring element). */
    public static GrayImage dilate(GrayImage mask, int r) {
        if (r <= 0) return mask.copy();
        int w = mask.width(), h = mask.height();
        byte[] p = mask.pixels();
        byte[] tmp = new byte[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (p[y * w + x] == 0) continue;
                for (int dx = Math.max(0, x - r); dx <= Math.min(w - 1, x + r); dx++) tmp[y * w + dx] = (byte) 255;
            }
        }
        byte[] out = new byte[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (tmp[y * w + x] == 0) continue;
                for (int dy = Math.max(0, y - r); dy <= Math.min(h - 1, y + r); dy++) out[dy * w + x] = (byte) 255;
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Shrinks a binary mask by {@code r} pixels (square structuring element); outside the image counts as mask. */
    public static GrayImage erode(GrayImage mask, int r) {
        if (r <= 0) return mask.copy();
        byte[] p = mask.pixels(), inv = new byte[p.length];
        for (int i = 0; i < p.length; i++) inv[i] = p[i] == 0 ? (byte) 255 : 0;
        byte[] grown = dilate(new GrayImage(mask.width(), mask.height(), inv), r).pixels();
        for (int i = 0; i < grown.length; i++) grown[i] = grown[i] == 0 ? (byte) 255 : 0;
        return new GrayImage(mask.width(), mask.height(), grown);
    }
}
