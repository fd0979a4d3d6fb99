package io.cxr4j.prep;

import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.mask.LungCrop;
import io.cxr4j.util.BadInputException;

/**
 * One sample taken through the masking recipe: the decoded X-ray, its lung mask at the image's own
 * size, and the masked (optionally cropped and resized) image that models consume.
 */
public record Prepared(Sample sample, GrayImage image, GrayImage lungMask, GrayImage masked) {

    public static Prepared load(Sample s, MaskSource source, LungCrop recipe) throws BadInputException {
        GrayImage img = ImageReader.read(s.image());
        GrayImage mask = source.lungMask(s, img.width(), img.height());
        return new Prepared(s, img, mask, recipe.apply(img, mask));
    }
}
