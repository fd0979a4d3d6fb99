package io.cxr4j.eval;

import io.cxr4j.data.Sample;

/** One film of a segmenter evaluation: its Dice and IoU against the reference lung mask. */
public record SegmentationRow(Sample sample, double dice, double iou) {}
