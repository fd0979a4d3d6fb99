package io.cxr4j.analysis;

import io.cxr4j.quality.Quality;

/**
 * How films are analysed. {@code useAnnotation}: take the lung mask from a given annotation or mask file
 * (else always segment). {@code qualityThresholds}: when quality flags are raised (null: no quality check).
 * {@code inputCheck}: refuse what is not a frontal chest X-ray before any label (off only for research,
 * {@code --no-input-check}). {@code heatmap}: compute where the classifier looked (Grad-CAM) for each film.
 */
public record AnalysisOptions(boolean useAnnotation, Quality.Thresholds qualityThresholds, boolean inputCheck, boolean heatmap) {
    public static AnalysisOptions defaults() {
        return new AnalysisOptions(true, Quality.Thresholds.DEFAULT, true, false);
    }

    public AnalysisOptions withInputCheck(boolean on) { return new AnalysisOptions(useAnnotation, qualityThresholds, on, heatmap); }

    public AnalysisOptions withHeatmap(boolean on) { return new AnalysisOptions(useAnnotation, qualityThresholds, inputCheck, on); }

    public AnalysisOptions withAnnotation(boolean on) { return new AnalysisOptions(on, qualityThresholds, inputCheck, heatmap); }
}
