package io.cxr4j.serve;

import io.cxr4j.analysis.Analysis;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.analysis.XrayInput;
import io.cxr4j.util.BadInputException;

import java.nio.file.Path;

/**
 * What the server needs from an analyzer: one film in, an {@link Analysis} out (a
 * {@link io.cxr4j.analysis.NotFrontalException} for a film the input check refuses, another
 * {@link BadInputException} for one that cannot be read), and the model it uses. Production wraps an
 * {@link XrayAnalyzer} ({@link #of}); tests put in one that refuses or is slow, without networks.
 */
public interface FilmAnalyzer extends AutoCloseable {
    /** {@code heatmap}: also compute where the classifier looked (Grad-CAM), when the model can. */
    Analysis analyze(XrayInput film, boolean heatmap) throws BadInputException;

    ModelInfo model();

    @Override
    default void close() {}

    /** The shipped path: every film through {@code analyzer}; {@code classifierDir} for the model's figures. */
    static FilmAnalyzer of(XrayAnalyzer analyzer, Path classifierDir) {
        ModelInfo info = ModelInfo.of(analyzer.modelId(), analyzer.card(), classifierDir);
        return new FilmAnalyzer() {
            @Override
            public Analysis analyze(XrayInput film, boolean heatmap) throws BadInputException { return analyzer.analyze(film, heatmap); }

            @Override
            public ModelInfo model() { return info; }

            @Override
            public void close() { analyzer.close(); }
        };
    }
}
