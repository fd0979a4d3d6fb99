package io.cxr4j.analysis;

import io.cxr4j.image.GrayImage;

import java.util.List;
import java.util.Map;

/**
 * What the analyzer found for one film. {@code image} and {@code lungMask} are at the size the film was
 * analysed at (at most {@link io.cxr4j.segment.LungSegmenter#PREDICT_SIDE} px for films without annotation,
 * else the film's own size); {@code lungMaskSource} is "annotation", "predicted" or "none" (whole-image
 * models). {@code warnings} are plain sentences meant for the user (quality flags, what the model cannot
 * tell). {@code corrections} are what the input check safely fixed before analysis (e.g. "inverted grey
 * scale corrected", "turned 90 degrees corrected"; the image is the corrected one). {@code heatmap} is where
 * the classifier looked (Grad-CAM, 0-255 at the image's size), or null when not asked for. {@code inputChecked}:
 * whether the input check ran (false with --no-input-check). Immutable apart
 * from the image arrays, which callers must not change.
 */
public record Analysis(String name, List<String> classes, float[] probabilities, String predicted, double confidence,
                       double pneumonia, String lungMaskSource, GrayImage image, GrayImage lungMask, List<String> qualityFlags,
                       List<String> warnings, List<String> corrections, GrayImage heatmap, boolean inputChecked) {
    public Analysis {
        classes = List.copyOf(classes);
        qualityFlags = List.copyOf(qualityFlags);
        warnings = List.copyOf(warnings);
        corrections = List.copyOf(corrections);
    }

    /** Class to probability, in the model's class order. */
    public Map<String, Double> probabilityMap() {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) m.put(classes.get(i), (double) probabilities[i]);
        return m;
    }
}
