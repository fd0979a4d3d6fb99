package io.cxr4j.mask;

import io.cxr4j.image.GrayImage;
import io.cxr4j.util.BadInputException;

import java.util.List;

/** Builds lung masks from annotated regions, following the V7 semantic-mask conventions. */
public final class LungMasks {
    /** Value of lung pixels in a semantic mask and in a binary lung mask. */
    public static final int LUNG = 255;
    /** Value of Ignore pixels in a V7 semantic mask. */
    public static final int IGNORE = 127;

    /** How far (as a fraction of the image size, plus 2 px) a vertex may stray outside the image. */
    static final double OUTSIDE_TOLERANCE = 0.10;

    private LungMasks() {}

    /**
     * Renders a V7 semantic mask: each region filled in file order, 255 for Lung and 127 for Ignore,
     * later regions overwriting earlier ones. Other region classes are not painted.
     */
    public static GrayImage semantic(int width, int height, List<Region> regions) {
        GrayImage m = new GrayImage(width, height);
        for (Region r : regions) {
            if (r.isLung()) PolygonRasterizer.fill(m.pixels(), width, height, r.paths(), (byte) LUNG);
            else if (r.isIgnore()) PolygonRasterizer.fill(m.pixels(), width, height, r.paths(), (byte) IGNORE);
        }
        return m;
    }

    /** Binary lung mask (255 lung, 0 elsewhere) from a semantic mask: Ignore is not lung. */
    public static GrayImage lungOnly(GrayImage semantic) {
        byte[] in = semantic.pixels();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) out[i] = (in[i] & 0xFF) == LUNG ? (byte) LUNG : 0;
        return new GrayImage(semantic.width(), semantic.height(), out);
    }

    /** Validates regions and renders the binary lung mask, refusing annotations that cannot be right. */
    public static GrayImage fromRegions(int width, int height, List<Region> regions) throws BadInputException {
        validate(width, height, regions);
        GrayImage semantic = semantic(width, height, regions);
        // without Ignore regions the semantic mask holds only 0 and 255, so it already is the lung mask
        boolean anyIgnore = false;
        for (Region r : regions) anyIgnore |= r.isIgnore();
        GrayImage lung = anyIgnore ? lungOnly(semantic) : semantic;
        if (MaskOps.isEmpty(lung)) throw new BadInputException("Lung polygons cover no pixel of the " + width + "x" + height + " image");
        return lung;
    }

    /**
     * Checks that there is at least one Lung region, that every path has at least 3 points and that
     * no vertex lies far outside the image (V7 allows vertices slightly outside; they are clipped).
     */
    public static void validate(int width, int height, List<Region> regions) throws BadInputException {
        boolean anyLung = false;
        double tolX = width * OUTSIDE_TOLERANCE + 2, tolY = height * OUTSIDE_TOLERANCE + 2;
        int index = 0;
        for (Region r : regions) {
            index++;
            if (!r.isLung() && !r.isIgnore()) continue;
            anyLung |= r.isLung();
            if (r.paths().isEmpty()) throw new BadInputException(r.name() + " region #" + index + " has no path");
            for (double[] p : r.paths()) {
                int n = p.length / 2;
                if (n < 3) throw new BadInputException(r.name() + " polygon #" + index + " has " + n + " point" + (n == 1 ? "" : "s") + " (at least 3 needed)");
                for (int k = 0; k < p.length; k += 2) {
                    double x = p[k], y = p[k + 1];
                    if (!Double.isFinite(x) || !Double.isFinite(y)) throw new BadInputException(r.name() + " polygon #" + index + " has a non-numeric coordinate");
                    if (x < -tolX || x > width + tolX || y < -tolY || y > height + tolY) {
                        throw new BadInputException(String.format(java.util.Locale.ROOT,
                                "%s polygon #%d has a point at (%.1f, %.1f), far outside the %dx%d image",
                                r.name(), index, x, y, width, height));
                    }
                }
            }
        }
        if (!anyLung) throw new BadInputException("no Lung polygon in the annotation");
    }

    /** Binary lung mask from a V7 semantic mask PNG (255 lung, 127 ignore, 0 background). */
    public static GrayImage fromSemanticPng(GrayImage semanticMask) throws BadInputException {
        GrayImage lung = lungOnly(semanticMask);
        if (MaskOps.isEmpty(lung)) throw new BadInputException("mask has no lung pixel (value 255)");
        return lung;
    }
}
