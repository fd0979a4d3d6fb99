package io.cxr4j.analysis;

import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.eval.SegmentationEvaluation;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;

import java.util.List;

/**
 * Runs the lung segmenter over a dataset's films with reference lung masks, once, and compares each
 * predicted mask (at the film's own size, post-processed) with the reference (Ignore regions removed).
 * The figures and the worst cases' films come out as one {@link SegmentationEvaluation}.
 */
public final class SegmenterScoring {
    private SegmenterScoring() {}

    /** The evaluation, and the films that could not be scored (each with a reason). */
    public record Run(SegmentationEvaluation evaluation, List<Batch.Failure> failures) {}

    public static Run run(LungSegmenter seg, List<Sample> samples, int threads) {
        SegmentationEvaluation.Collector rows = new SegmentationEvaluation.Collector(SegmentationEvaluation.WORST_CASES);
        List<Batch.Failure> failures = Batch.run(samples, threads, Sample::image, Progress.forStderr("segment", samples.size()), s -> {
            GrayImage img = ImageReader.read(s.image());
            GrayImage truth = MaskSource.AUTO.lungMask(s, img.width(), img.height());
            rows.add(s, img, truth, seg.segment(img));
        });
        return new Run(rows.result(), failures);
    }
}
