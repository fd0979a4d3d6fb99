package io.cxr4j.prep;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;
import io.cxr4j.mask.MaskOps;

import java.util.Random;

/**
 * Augmentation suited to chest X-rays, as pure functions on square 8-bit images: small rotations,
 * scaling and shifts (patient positioning), and brightness, contrast and gamma changes (exposure and
 * processing). No flips: a chest X-ray is not left-right symmetric (heart, aortic knob, stomach
 * bubble), and a flipped image is an anatomy the model never meets in practice. Optionally the
 * classifier's lung region is grown or shrunk a little ({@code outlineJitter}, a fraction of the side),
 * so that the outline's exact course (annotator's style, segmenter's error) is not a feature.
 */
public record Augment(double maxRotateDeg, double scaleRange, double maxShift, double brightness, double contrast, double gamma,
                      double outlineJitter, double style) {
    public static final Augment DEFAULT = new Augment(10, 0.10, 0.06, 0.10, 0.15, 0.20, 0, 0);
    public static final Augment NONE = new Augment(0, 0, 0, 0, 0, 0, 0, 0);

    /** Without the hospital-style changes. */
    public Augment(double maxRotateDeg, double scaleRange, double maxShift, double brightness, double contrast, double gamma,
                   double outlineJitter) {
        this(maxRotateDeg, scaleRange, maxShift, brightness, contrast, gamma, outlineJitter, 0);
    }

    /** Geometry and intensity changes without outline jitter. */
    public Augment(double maxRotateDeg, double scaleRange, double maxShift, double brightness, double contrast, double gamma) {
        this(maxRotateDeg, scaleRange, maxShift, brightness, contrast, gamma, 0);
    }

    public Augment withOutlineJitter(double j) {
        return new Augment(maxRotateDeg, scaleRange, maxShift, brightness, contrast, gamma, j, style);
    }

    /**
     * With probability {@code p} each, a training image also gets each of three changes that differ between
     * hospitals and collections rather than between diseases: blur or sharpening (detector and processing),
     * a lower resolution (downscaled and scaled back, as small or re-saved films), and grain (noise). So the
     * classifier cannot tell a collection by its look, and "NIH look" cannot stand in for "not COVID-19".
     */
    public Augment withStyle(double p) {
        return new Augment(maxRotateDeg, scaleRange, maxShift, brightness, contrast, gamma, outlineJitter, p);
    }

    /**
     * Applies one random draw to {@code img} and {@code region} (same geometry; bilinear for the image,
     * nearest for the region) into the output arrays.
     */
    public void apply(byte[] img, byte[] region, int size, Random rnd, byte[] imgOut, byte[] regionOut) {
        apply(img, region, null, size, rnd, imgOut, regionOut, null);
        if (style > 0) style(imgOut, size, rnd, style);
        if (outlineJitter > 0) {
            // the lung outline moved in or out by up to outlineJitter of the side: masks drawn by other
            // annotators, or predicted by the segmenter, differ from the training masks by about that much
            int r = (int) Math.round((rnd.nextDouble() * 2 - 1) * outlineJitter * size);
            if (r != 0) {
                GrayImage m = new GrayImage(size, size, regionOut); // dilate and erode return new masks
                byte[] moved = (r > 0 ? MaskOps.dilate(m, r) : MaskOps.erode(m, -r)).pixels();
                System.arraycopy(moved, 0, regionOut, 0, moved.length);
            }
        }
    }

    /** As {@link #apply(byte[], byte[], int, Random, byte[], byte[])}, moving a target mask the same way. */
    public void apply(byte[] img, byte[] region, byte[] mask, int size, Random rnd, byte[] imgOut, byte[] regionOut, byte[] maskOut) {
        double angle = Math.toRadians((rnd.nextDouble() * 2 - 1) * maxRotateDeg);
        double scale = 1 + (rnd.nextDouble() * 2 - 1) * scaleRange;
        double tx = (rnd.nextDouble() * 2 - 1) * maxShift * size, ty = (rnd.nextDouble() * 2 - 1) * maxShift * size;
        ImageOps.affine(img, size, angle, scale, tx, ty, imgOut, false);
        ImageOps.affine(region, size, angle, scale, tx, ty, regionOut, true);
        if (mask != null) ImageOps.affine(mask, size, angle, scale, tx, ty, maskOut, true);
        double b = (rnd.nextDouble() * 2 - 1) * brightness * 255;
        double c = 1 + (rnd.nextDouble() * 2 - 1) * contrast;
        double g = Math.exp((rnd.nextDouble() * 2 - 1) * gamma);
        if (b != 0 || c != 1 || g != 1) {
            int[] lut = new int[256];
            for (int v = 0; v < 256; v++) {
                double x = 255 * Math.pow(v / 255.0, g);
                x = (x - 128) * c + 128 + b;
                lut[v] = (int) Math.max(0, Math.min(255, Math.round(x)));
            }
            for (int i = 0; i < imgOut.length; i++) if (regionOut[i] != 0) imgOut[i] = (byte) lut[imgOut[i] & 0xFF];
        }
    }

    /** The hospital-style changes of {@link #withStyle}, in place; each happens with probability {@code p}. */
    static void style(byte[] img, int size, Random rnd, double p) {
        boolean sharpness = rnd.nextDouble() < p, resolution = rnd.nextDouble() < p, grain = rnd.nextDouble() < p;
        if (!sharpness && !resolution && !grain) return;
        float[] f = new float[img.length];
        for (int i = 0; i < f.length; i++) f[i] = img[i] & 0xFF;
        if (resolution) {
            // down to 35-80% of the side by area averaging, then back by bilinear interpolation
            int small = Math.max(8, (int) Math.round(size * (0.35 + 0.45 * rnd.nextDouble())));
            GrayImage g = new GrayImage(size, size, img.clone());
            GrayImage back = ImageOps.resize(ImageOps.resize(g, small, small), size, size);
            for (int i = 0; i < f.length; i++) f[i] = back.pixels()[i] & 0xFF;
        }
        if (sharpness) {
            // out = img + a (img - blur): a in [-1, 0) blurs, a in (0, 1.5] sharpens (unsharp masking)
            double sigma = 0.6 + 1.4 * rnd.nextDouble();
            double a = rnd.nextBoolean() ? -rnd.nextDouble() : 1.5 * rnd.nextDouble();
            float[] b = ImageOps.gaussianBlur(f, size, size, sigma);
            for (int i = 0; i < f.length; i++) f[i] += (float) (a * (f[i] - b[i]));
        }
        if (grain) {
            double sd = 1 + 7 * rnd.nextDouble();
            for (int i = 0; i < f.length; i++) f[i] += (float) (rnd.nextGaussian() * sd);
        }
        for (int i = 0; i < f.length; i++) img[i] = (byte) Math.max(0, Math.min(255, Math.round(f[i])));
    }
}
