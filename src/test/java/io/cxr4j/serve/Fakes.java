package io.cxr4j.serve;

import io.cxr4j.analysis.Analysis;
import io.cxr4j.analysis.NotFrontalException;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.analysis.XrayInput;
import io.cxr4j.image.GrayImage;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.BadInputException;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Analyzers without networks for the server tests: films are really decoded (so DICOM variants go through
 * the real reader), then get a made-up but film-dependent result; one refuses every film, one waits.
 */
final class Fakes {
    static final Path MODEL = Path.of("models", "classifier");

    private Fakes() {}

    static ModelInfo info() {
        try {
            return ModelInfo.of("classifier", ModelCard.read(MODEL), MODEL);
        } catch (BadInputException e) {
            throw new AssertionError("the shipped model card must be readable: " + e.getMessage());
        }
    }

    /** Decodes and answers: probabilities from the film's mean grey, a central lung box, a heat map when asked. */
    static FilmAnalyzer decoding(boolean heatmap, List<String> corrections) {
        ModelInfo info = info();
        return new FilmAnalyzer() {
            @Override
            public Analysis analyze(XrayInput film, boolean wanted) throws BadInputException {
                GrayImage img = XrayAnalyzer.decode(film);
                return analysis(info, img, heatmap && wanted, corrections);
            }

            @Override
            public ModelInfo model() { return info; }
        };
    }

    static Analysis analysis(ModelInfo info, GrayImage img, boolean heatmap, List<String> corrections) {
        int w = img.width(), h = img.height();
        long sum = 0;
        for (byte b : img.pixels()) sum += b & 0xFF;
        double mean = sum / (double) (w * h) / 255.0; // 0..1
        float[] p = {(float) (0.1 + 0.5 * mean), 0.2f, 0.1f, 0};
        p[3] = 1 - p[0] - p[1] - p[2];
        GrayImage mask = new GrayImage(w, h);
        for (int y = h / 4; y < 3 * h / 4; y++) for (int x = w / 4; x < 3 * w / 4; x++) mask.set(x, y, 255);
        GrayImage heat = null;
        if (heatmap) {
            heat = new GrayImage(w, h);
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) heat.set(x, y, 255 * x / w);
        }
        List<String> classes = info.card().classes();
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        List<String> warnings = new ArrayList<>(List.of("lung mask predicted by the segmenter (no annotation given)"));
        return new Analysis("upload", classes, p, classes.get(best), p[best], p[0] + p[2], "predicted", img, mask, List.of(),
                warnings, corrections, heat, true);
    }

    /** Refuses every film as the input check would. */
    static FilmAnalyzer refusing(String reason) {
        ModelInfo info = info();
        return new FilmAnalyzer() {
            @Override
            public Analysis analyze(XrayInput film, boolean heatmap) throws BadInputException { throw new NotFrontalException(reason); }

            @Override
            public ModelInfo model() { return info; }
        };
    }

    /** Fails with a runtime exception (a bug), to check the answer is "internal error" only. */
    static FilmAnalyzer broken() {
        ModelInfo info = info();
        return new FilmAnalyzer() {
            @Override
            public Analysis analyze(XrayInput film, boolean heatmap) { throw new IllegalStateException("IllegalStateException: boom at io.cxr4j.Secret"); }

            @Override
            public ModelInfo model() { return info; }
        };
    }

    /** Holds every analysis until {@code release} opens (at most 30 s), counting those that started. */
    static FilmAnalyzer slow(CountDownLatch release, java.util.concurrent.atomic.AtomicInteger started) {
        FilmAnalyzer inner = decoding(false, List.of());
        return new FilmAnalyzer() {
            @Override
            public Analysis analyze(XrayInput film, boolean heatmap) throws BadInputException {
                started.incrementAndGet();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return inner.analyze(film, heatmap);
            }

            @Override
            public ModelInfo model() { return inner.model(); }
        };
    }

    /** A w x h grey PNG with a diagonal gradient. */
    static byte[] png(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (x + y) * 255 / (w + h));
        return encode(img, "png");
    }

    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }
}
