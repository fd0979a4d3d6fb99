package io.cxr4j.serve;

import io.cxr4j.analysis.AnalysisOptions;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.image.DicomWriter;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.testutil.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The shipped models behind the server, and real films from ../shared for them. */
final class RealModels {
    static final Path CLASSIFIER = Path.of("models", "classifier"), SEGMENTER = Path.of("models", "lung-segmenter");

    private RealModels() {}

    static FilmAnalyzer analyzer() throws Exception {
        return FilmAnalyzer.of(XrayAnalyzer.load(CLASSIFIER, SEGMENTER, AnalysisOptions.defaults().withHeatmap(true)), CLASSIFIER);
    }

    /** The {@code n}-th PNG film of the shared V7 collection (skipped, or failed under CXR4J_REQUIRE_DATA, without it). */
    static Path film(int n) throws IOException {
        try (Stream<Path> s = Files.list(TestData.root().resolve("images"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().skip(n).findFirst().orElseThrow();
        }
    }

    /** The film's grey pixels as an 8-bit explicit VR DICOM with the fake identity. */
    static byte[] asDicom(Path film) throws Exception {
        GrayImage g = ImageReader.read(film);
        return DicomWriter.xray(DicomWriter.EXPLICIT, g.height(), g.width(), 8, 8, false, "MONOCHROME2").pixels8(g.pixels()).bytes();
    }
}
