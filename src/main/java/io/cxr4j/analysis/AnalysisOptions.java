package io.cxr4j.analysis;

import io.cxr4j.quality.Quality;

/**
 * How films are analysed. {@code useAnnotation}: take the lung mask from a given annotation or mask file
 * (else always segment). {@code qualityThresholds}: when quality flags are raised (null: no quality check).
 */
public record AnalysisOptions(boolean useAnnotation, Quality.Thresholds qualityThresholds) {
    public static AnalysisOptions defaults() {
        return new AnalysisOptions(true, Quality.Thresholds.DEFAULT);
    }
}
