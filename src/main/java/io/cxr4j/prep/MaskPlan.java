package io.cxr4j.prep;

import io.cxr4j.data.Sample;

import java.util.List;

/**
 * Which lung masks a sample gets during training or evaluation. {@code annotation} masks come from the
 * sample's polygons or V7 mask; {@code predicted} ones from a segmenter (may be null when there is none).
 * <ul>
 *   <li>ANNOTATION: the annotation where the sample has one, else the predicted mask (images without
 *   polygons, e.g. another hospital's films);</li>
 *   <li>PREDICTED: always the predicted mask, as new images get it;</li>
 *   <li>MIXED: an annotated sample gets both (training draws one at random, validation scores both); an
 *   unannotated one the predicted mask.</li>
 * </ul>
 */
public record MaskPlan(Mode mode, MaskProvider annotation, MaskProvider predicted) {
    public enum Mode { ANNOTATION, PREDICTED, MIXED }

    /** A mask source with the name recorded for each image ("annotation" or "predicted"). */
    public record Named(String name, MaskProvider provider) {}

    public MaskPlan {
        if (mode != Mode.ANNOTATION && predicted == null) throw new IllegalArgumentException(mode + " masks need a segmenter");
    }

    /** Annotation masks only: an image without them fails with the annotation's reason. */
    public static MaskPlan annotationOnly(MaskProvider annotation) {
        return new MaskPlan(Mode.ANNOTATION, annotation, null);
    }

    /** The mask {@code s} gets when it gets one (evaluation, prediction): the first of {@link #masksFor}. */
    public Named first(Sample s) {
        return masksFor(s).get(0);
    }

    /** {@link #first} as a mask provider. */
    public MaskProvider firstProvider() {
        return (s, img) -> first(s).provider().lungMask(s, img);
    }

    /** The masks {@code s} gets, in a fixed order. */
    public List<Named> masksFor(Sample s) {
        Named ann = new Named("annotation", annotation), pred = predicted == null ? null : new Named("predicted", predicted);
        return switch (mode) {
            case ANNOTATION -> s.hasMaskSource() || pred == null ? List.of(ann) : List.of(pred);
            case PREDICTED -> List.of(pred);
            case MIXED -> s.hasMaskSource() ? List.of(ann, pred) : List.of(pred);
        };
    }
}
