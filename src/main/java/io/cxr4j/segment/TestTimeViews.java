package io.cxr4j.segment;

import io.cxr4j.image.ImageOps;

import java.util.List;

/**
 * Test-time views of the segmenter's square input: the image itself, then small zooms, shifts and
 * rotations of the kind a patient's positioning produces (the segmenter was trained on such changes;
 * no flips, as a chest is not left-right symmetric). Each view's probability map is mapped back onto
 * the original frame, and the maps are averaged where each view saw the pixel.
 */
public final class TestTimeViews {
    /** One view: rotation in degrees, zoom factor, shift as a fraction of the side. */
    public record View(double degrees, double scale, double shiftX, double shiftY) {
        public View {
            if (degrees != 0 && (scale != 1 || shiftX != 0 || shiftY != 0)) throw new IllegalArgumentException("a view rotates or zooms and shifts, not both");
        }

        boolean identity() { return degrees == 0 && scale == 1 && shiftX == 0 && shiftY == 0; }

        /** The input as this view shows it (bilinear for images, nearest for the area mask). */
        byte[] forward(byte[] src, int size, boolean nearest) {
            byte[] out = new byte[src.length];
            ImageOps.affine(src, size, Math.toRadians(degrees), scale, shiftX * size, shiftY * size, out, nearest);
            return out;
        }

        /** Per pixel of the original frame, the share of it that this view saw (1 inside, 0 where cut off). */
        float[] coverage(int size) {
            float[] ones = new float[size * size], seen = new float[size * size];
            java.util.Arrays.fill(ones, 1f);
            ImageOps.affine(ones, size, Math.toRadians(degrees), scale, shiftX * size, shiftY * size, seen, true);
            return back(seen, size);
        }

        /** A map in this view's frame brought back to the original frame (the inverse transform). */
        float[] back(float[] src, int size) {
            float[] out = new float[src.length];
            if (degrees != 0) ImageOps.affine(src, size, -Math.toRadians(degrees), 1, 0, 0, out, false);
            else ImageOps.affine(src, size, 0, 1 / scale, -shiftX * size / scale, -shiftY * size / scale, out, false);
            return out;
        }
    }

    /** The views in the order they are used: {@code n} views means the first n of these. */
    public static final List<View> ALL = List.of(
            new View(0, 1, 0, 0),
            new View(0, 1.06, 0, 0), new View(0, 0.94, 0, 0),
            new View(0, 1, 0.03, 0), new View(0, 1, -0.03, 0),
            new View(0, 1, 0, 0.03), new View(0, 1, 0, -0.03),
            new View(4, 1, 0, 0), new View(-4, 1, 0, 0));

    private TestTimeViews() {}

    public static List<View> first(int n) {
        if (n < 1 || n > ALL.size()) throw new IllegalArgumentException("test-time views must be 1.." + ALL.size() + ", not " + n);
        return ALL.subList(0, n);
    }
}
