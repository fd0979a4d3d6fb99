package io.cxr4j.prep;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;
import io.cxr4j.image.ImageOps.Rect;
import io.cxr4j.mask.LungCrop;
import io.cxr4j.mask.MaskOps;

/**
 * How an X-ray becomes a model input, recorded in model.json so that prediction repeats training
 * exactly.
 * <ul>
 *   <li>{@code masked}: AND with the lung mask, crop to the lungs' box plus a margin (made square),
 *       resize to {@code size} x {@code size};</li>
 *   <li>{@code whole}: the whole image padded to a square and resized (no lung mask).</li>
 * </ul>
 * Normalisation: per image, z-score over the region the model sees (the lung pixels, or the image
 * area) and 0 elsewhere. Per-image normalisation removes global exposure differences between sources
 * (adult vs pediatric scanners), one of the shortcuts a model could otherwise learn.
 */
public record InputRecipe(String maskMode, int size, double margin) {
    public static final String MASKED = "masked";
    public static final String WHOLE = "whole";

    public InputRecipe {
        if (!MASKED.equals(maskMode) && !WHOLE.equals(maskMode)) throw new IllegalArgumentException("mask mode must be masked or whole");
        if (size < 16) throw new IllegalArgumentException("image size too small: " + size);
    }

    public boolean usesMask() { return MASKED.equals(maskMode); }

    /** The input image and the region mask (255 = seen by the model), both size x size. */
    public record Crop(GrayImage image, GrayImage region) {}

    public Crop crop(GrayImage image, GrayImage lungMask) {
        return crop(image, lungMask, false);
    }

    /**
     * The same crop and region without the AND: the pixels around the lungs stay, and only the region (at
     * normalisation) hides them. For training with outline jitter, where the region may grow; prediction
     * and validation use {@link #crop(GrayImage, GrayImage)}.
     */
    public Crop cropKeepingSurroundings(GrayImage image, GrayImage lungMask) {
        return crop(image, lungMask, true);
    }

    /**
     * The square of the film that becomes the model's input (it may reach beyond the film, where the input
     * is black): the lungs' box plus the margin, or the whole film padded to a square. The input's pixel
     * (u, v) covers film pixels {@code x0 + u * width / size} onwards, so a map over the input can be put
     * back on the film.
     */
    public Rect cropRect(GrayImage image, GrayImage lungMask) {
        if (usesMask()) {
            Rect r = new LungCrop(true, margin, 0).region(lungMask);
            if (r == null) throw new IllegalArgumentException("empty lung mask");
            return r;
        }
        int side = Math.max(image.width(), image.height());
        int x0 = -(side - image.width()) / 2, y0 = -(side - image.height()) / 2;
        return new Rect(x0, y0, x0 + side, y0 + side);
    }

    private Crop crop(GrayImage image, GrayImage lungMask, boolean keepSurroundings) {
        if (usesMask()) {
            Rect r = cropRect(image, lungMask);
            GrayImage masked = ImageOps.crop(keepSurroundings ? image : MaskOps.apply(image, lungMask), r);
            GrayImage m = ImageOps.crop(lungMask, r);
            return new Crop(ImageOps.resize(masked, size, size), ImageOps.resizeNearest(m, size, size));
        }
        Rect sq = cropRect(image, null);
        GrayImage area = new GrayImage(image.width(), image.height());
        java.util.Arrays.fill(area.pixels(), (byte) 255);
        return new Crop(ImageOps.resize(ImageOps.crop(image, sq), size, size),
                ImageOps.resizeNearest(ImageOps.crop(area, sq), size, size));
    }

    /** Per-image z-score over the region; 0 outside. Writes size*size floats at {@code off}. */
    public static void normalise(byte[] img, byte[] region, float[] out, int off) {
        double s = 0, s2 = 0;
        int n = 0;
        for (int i = 0; i < img.length; i++) {
            if (region[i] == 0) continue;
            int v = img[i] & 0xFF;
            s += v;
            s2 += (double) v * v;
            n++;
        }
        if (n == 0) {
            java.util.Arrays.fill(out, off, off + img.length, 0f);
            return;
        }
        double mean = s / n;
        double std = Math.sqrt(Math.max(s2 / n - mean * mean, 1e-6));
        std = Math.max(std, 1.0);
        for (int i = 0; i < img.length; i++) {
            out[off + i] = region[i] == 0 ? 0f : (float) (((img[i] & 0xFF) - mean) / std);
        }
    }
}
