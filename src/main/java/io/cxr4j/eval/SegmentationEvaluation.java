package io.cxr4j.eval;

import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.mask.MaskOps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A segmenter's evaluation: one row per film (Dice and IoU of the predicted lung mask against the
 * reference), worst first, their summaries, and the films of the worst cases with both masks, kept from
 * the one pass that computed the rows so a report can draw them without segmenting again.
 */
public record SegmentationEvaluation(List<SegmentationRow> rowsWorstFirst, Summary dice, Summary iou, List<WorstCase> worst) {
    /** How many worst cases a {@link Collector} keeps unless told otherwise. */
    public static final int WORST_CASES = 12;

    /** Worst first: lowest Dice, then file name, so ties come out the same on every run. */
    public static final Comparator<SegmentationRow> WORST_FIRST =
            Comparator.comparingDouble(SegmentationRow::dice).thenComparing(r -> r.sample().file());

    /** One of the worst films, with its reference and predicted lung masks (at the image's own size). */
    public record WorstCase(SegmentationRow row, GrayImage image, GrayImage truth, GrayImage predicted) {}

    public SegmentationEvaluation {
        rowsWorstFirst = List.copyOf(rowsWorstFirst);
        worst = List.copyOf(worst);
    }

    /** The evaluation of {@code rows} (any order); {@code worst} are the films kept for drawing, if any. */
    public static SegmentationEvaluation of(Collection<SegmentationRow> rows, Collection<WorstCase> worst) {
        List<SegmentationRow> sorted = new ArrayList<>(rows);
        sorted.sort(WORST_FIRST);
        List<WorstCase> w = new ArrayList<>(worst);
        w.sort(Comparator.comparing(WorstCase::row, WORST_FIRST));
        return new SegmentationEvaluation(sorted, Summary.of(sorted.stream().mapToDouble(SegmentationRow::dice).toArray()),
                Summary.of(sorted.stream().mapToDouble(SegmentationRow::iou).toArray()), w);
    }

    public int n() {
        return rowsWorstFirst.size();
    }

    /**
     * Collects the films of one pass, from many threads: compares each predicted mask with the reference,
     * and keeps the images and masks of only the {@code keep} worst films seen so far.
     */
    public static final class Collector {
        private final int keep;
        private final ConcurrentLinkedQueue<SegmentationRow> rows = new ConcurrentLinkedQueue<>();
        private final PriorityQueue<WorstCase> worst; // best of the kept first, so it is the one to drop

        public Collector(int keep) {
            this.keep = keep;
            this.worst = new PriorityQueue<>(Comparator.comparing(WorstCase::row, WORST_FIRST).reversed());
        }

        /** Adds a film; returns its row. */
        public SegmentationRow add(Sample sample, GrayImage image, GrayImage truth, GrayImage predicted) {
            SegmentationRow row = new SegmentationRow(sample, MaskOps.dice(predicted, truth), MaskOps.iou(predicted, truth));
            rows.add(row);
            synchronized (worst) {
                if (keep > 0 && (worst.size() < keep || WORST_FIRST.compare(row, worst.peek().row()) < 0)) {
                    worst.add(new WorstCase(row, image, truth, predicted));
                    if (worst.size() > keep) worst.poll();
                }
            }
            return row;
        }

        public SegmentationEvaluation result() {
            synchronized (worst) {
                return of(rows, worst);
            }
        }
    }
}
