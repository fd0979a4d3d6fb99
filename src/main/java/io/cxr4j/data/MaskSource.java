package io.cxr4j.data;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.mask.LungMasks;
import io.cxr4j.util.BadInputException;

/** Where an image's lung mask comes from. */
public enum MaskSource {
    /** The annotation's polygons when there is one, else the V7 mask PNG. */
    AUTO,
    /** Only the Darwin JSON polygons. */
    ANNOTATION,
    /** Only the V7 semantic mask PNG. */
    MASK;

    /**
     * The binary lung mask (255 lung, 0 elsewhere; Ignore removed) of {@code s} at the size of its image.
     *
     * @throws BadInputException naming the problem; the caller adds the file name
     */
    public GrayImage lungMask(Sample s, int width, int height) throws BadInputException {
        boolean useAnn = s.annotation() != null && this != MASK;
        boolean useMask = !useAnn && s.mask() != null && this != ANNOTATION;
        if (useAnn) {
            DarwinFile d = DarwinReader.read(s.annotation());
            if (d.width() != width || d.height() != height) {
                throw new BadInputException("annotation " + s.annotation().getFileName() + " is for a " + d.width() + "x"
                        + d.height() + " image but the image is " + width + "x" + height);
            }
            try {
                return LungMasks.fromRegions(width, height, d.regions());
            } catch (BadInputException e) {
                throw new BadInputException("annotation " + s.annotation().getFileName() + ": " + e.getMessage());
            }
        }
        if (useMask) {
            GrayImage m;
            try {
                m = ImageReader.read(s.mask());
            } catch (BadInputException e) {
                throw new BadInputException("mask " + s.mask().getFileName() + ": " + e.getMessage());
            }
            if (m.width() != width || m.height() != height) {
                throw new BadInputException("mask " + s.mask().getFileName() + " is " + m.width() + "x" + m.height()
                        + " but the image is " + width + "x" + height);
            }
            try {
                return LungMasks.fromSemanticPng(m);
            } catch (BadInputException e) {
                throw new BadInputException("mask " + s.mask().getFileName() + ": " + e.getMessage());
            }
        }
        throw new BadInputException(switch (this) {
            case ANNOTATION -> "no annotation with lung polygons";
            case MASK -> "no mask PNG";
            default -> "no annotation and no mask";
        });
    }
}
