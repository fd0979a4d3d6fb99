package io.cxr4j.segment;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;
import io.cxr4j.image.ImageOps.Rect;
import io.cxr4j.mask.MaskOps;

/**
 * The segmenter's view of an X-ray: the whole image padded (centred, black) to a square and resized
 * to {@code size}; and the way back from a size x size probability map to the image's original size.
 */
public final class SegInput {
    private SegInput() {}

    public static Rect square(int w, int h) {
        int side = Math.max(w, h);
        int x0 = -(side - w) / 2, y0 = -(side - h) / 2;
        return new Rect(x0, y0, x0 + side, y0 + side);
    }

    /** The image as the network sees it. */
    public static GrayImage image(GrayImage img, int size) {
        return ImageOps.resize(ImageOps.crop(img, square(img.width(), img.height())), size, size);
    }

    /** The region of the input that is image (255) rather than padding (0). */
    public static GrayImage area(int w, int h, int size) {
        GrayImage a = new GrayImage(w, h);
        java.util.Arrays.fill(a.pixels(), (byte) 255);
        return ImageOps.resizeNearest(ImageOps.crop(a, square(w, h)), size, size);
    }

    /** A binary mask resized the same way (antialiased, then thresholded at one half). */
    public static GrayImage mask(GrayImage mask, int size) {
        return MaskOps.binarise(ImageOps.resize(ImageOps.crop(mask, square(mask.width(), mask.height())), size, size));
    }

    /**
     * Maps a size x size probability map (0..1) back to a w x h binary mask: bilinear resize of the
     * probabilities to the padded square at full resolution, crop the padding, threshold at 0.5.
     */
    public static GrayImage toOriginal(float[] probs, int size, int w, int h) {
        byte[] q = new byte[probs.length];
        for (int i = 0; i < q.length; i++) q[i] = (byte) Math.round(Math.max(0, Math.min(1, probs[i])) * 255);
        Rect sq = square(w, h);
        GrayImage big = ImageOps.resize(new GrayImage(size, size, q), sq.width(), sq.height());
        return MaskOps.binarise(ImageOps.crop(big, new Rect(-sq.x0(), -sq.y0(), -sq.x0() + w, -sq.y0() + h)));
    }
}
