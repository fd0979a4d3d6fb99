package io.cxr4j.mask;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;
import io.cxr4j.image.ImageOps.Rect;

/**
 * The classifier's input recipe: AND the X-ray with its lung mask, optionally crop to the lungs'
 * bounding box plus a margin (made square around its centre, so lungs keep their shape; area outside
 * the image is black), and optionally resize to a square size.
 */
public record LungCrop(boolean crop, double margin, int size) {
    public static final double DEFAULT_MARGIN = 0.05;

    public LungCrop {
        if (margin < 0 || margin > 1) throw new IllegalArgumentException("margin must be in [0, 1]: " + margin);
        if (size < 0) throw new IllegalArgumentException("size must be >= 0: " + size);
    }

    /** The region that {@link #apply} keeps, in image coordinates, or null when the mask is empty. */
    public Rect region(GrayImage mask) {
        Rect box = MaskOps.bbox(mask);
        if (box == null) return null;
        return box.expand(margin).square();
    }

    public GrayImage apply(GrayImage image, GrayImage mask) {
        if (crop) {
            Rect r = region(mask);
            if (r != null) {
                // crop first, then AND only the kept square (the same pixels as cropping the ANDed image)
                GrayImage out = MaskOps.apply(ImageOps.crop(image, r), ImageOps.crop(mask, r));
                return size > 0 ? ImageOps.resize(out, size, size) : out;
            }
        }
        GrayImage out = MaskOps.apply(image, mask);
        if (size > 0) {
            if (out.width() != out.height() && !crop) {
                // pad to square first so the resize does not distort the anatomy
                int side = Math.max(out.width(), out.height());
                int x0 = -(side - out.width()) / 2, y0 = -(side - out.height()) / 2;
                out = ImageOps.crop(out, new Rect(x0, y0, x0 + side, y0 + side));
            }
            out = ImageOps.resize(out, size, size);
        }
        return out;
    }
}
