package io.cxr4j.analysis;

import io.cxr4j.quality.Quality;

import java.nio.file.Path;

/**
 * How films are analysed. {@code useAnnotation}: take the lung mask from a given annotation or mask file
 * (else always segment). {@code qualityThresholds}: when quality flags are raised (null: no quality check).
 * {@code inputCheck}: refuse what is not a frontal chest X-ray before any label (off only for research,
 * {@code --no-input-check}). {@code heatmap}: compute where the classifier looked (Grad-CAM) for each film.
 * {@code checkDir}: the input check's model folder (null: {@code input-check} beside the classifier's folder,
 * as in models/).
 */
public record AnalysisOptions(boolean useAnnotation, Quality.Thresholds qualityThresholds, boolean inputCheck, boolean heatmap, Path checkDir) {
    public static AnalysisOptions defaults() {
        return new AnalysisOptions(true, Quality.Thresholds.DEFAULT, true, false, null);
    }

    public AnalysisOptions withInputCheck(boolean on) { return new AnalysisOptions(useAnnotation, qualityThresholds, on, heatmap, checkDir); }

    public AnalysisOptions withHeatmap(boolean on) { return new AnalysisOptions(useAnnotation, qualityThresholds, inputCheck, on, checkDir); }

    public AnalysisOptions withAnnotation(boolean on) { return new AnalysisOptions(on, qualityThresholds, inputCheck, heatmap, checkDir); }

    public AnalysisOptions withCheckDir(Path dir) { return new AnalysisOptions(useAnnotation, qualityThresholds, inputCheck, heatmap, dir); }
}
