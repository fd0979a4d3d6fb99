package io.cxr4j.prep;

import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;

/** Where a sample's lung mask comes from during training or evaluation: its annotation, or a model. */
@FunctionalInterface
public interface MaskProvider {
    GrayImage lungMask(Sample s, GrayImage image) throws Exception;

    static MaskProvider of(MaskSource source) {
        return (s, img) -> source.lungMask(s, img.width(), img.height());
    }
}
