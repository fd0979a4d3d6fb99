package io.cxr4j.train;

import java.util.Random;

/**
 * Augmentation suited to chest X-rays, as pure functions on square 8-bit images: small rotations,
 * scaling and shifts (patient positioning), and brightness, contrast and gamma changes (exposure and
 * processing). No flips: a chest X-ray is not left-right symmetric (heart, aortic knob, stomach
 * bubble), and a flipped image is an anatomy the model never meets in practice.
 */
public record Augment(double maxRotateDeg, double scaleRange, double maxShift, double brightness, double contrast, double gamma) {
    public static final Augment DEFAULT = new Augment(10, 0.10, 0.06, 0.10, 0.15, 0.20);
    public static final Augment NONE = new Augment(0, 0, 0, 0, 0, 0);

    /**
     * Applies one random draw to {@code img} and {@code region} (same geometry; bilinear for the image,
     * nearest for the region) into the output arrays.
     */
    public void apply(byte[] img, byte[] region, int size, Random rnd, byte[] imgOut, byte[] regionOut) {
        apply(img, region, null, size, rnd, imgOut, regionOut, null);
    }

    /** As {@link #apply(byte[], byte[], int, Random, byte[], byte[])}, moving a target mask the same way. */
    public void apply(byte[] img, byte[] region, byte[] mask, int size, Random rnd, byte[] imgOut, byte[] regionOut, byte[] maskOut) {
        double angle = Math.toRadians((rnd.nextDouble() * 2 - 1) * maxRotateDeg);
        double scale = 1 + (rnd.nextDouble() * 2 - 1) * scaleRange;
        double tx = (rnd.nextDouble() * 2 - 1) * maxShift * size, ty = (rnd.nextDouble() * 2 - 1) * maxShift * size;
        affine(img, size, angle, scale, tx, ty, imgOut, false);
        affine(region, size, angle, scale, tx, ty, regionOut, true);
        if (mask != null) affine(mask, size, angle, scale, tx, ty, maskOut, true);
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

    /**
     * Rotation by {@code angle} and scaling by {@code scale} about the centre, then a shift; pixels
     * mapped from outside the source are 0.
     */
    public static void affine(byte[] src, int size, double angle, double scale, double tx, double ty, byte[] dst, boolean nearest) {
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
                double v = sample(src, size, x0, y0) * (1 - fx) * (1 - fy) + sample(src, size, x0 + 1, y0) * fx * (1 - fy)
                        + sample(src, size, x0, y0 + 1) * (1 - fx) * fy + sample(src, size, x0 + 1, y0 + 1) * fx * fy;
                dst[o] = (byte) Math.min(255, Math.max(0, (int) Math.round(v)));
            }
        }
    }

    private static int sample(byte[] src, int size, int x, int y) {
        return x < 0 || y < 0 || x >= size || y >= size ? 0 : src[y * size + x] & 0xFF;
    }
}
