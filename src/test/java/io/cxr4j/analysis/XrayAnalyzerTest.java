package io.cxr4j.analysis;

import io.cxr4j.image.GrayImage;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.testutil.TestData;
import io.cxr4j.util.BadInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one entry point, with the shipped models on real films: thread-safe, bytes = path, bad films get a reason. */
class XrayAnalyzerTest {
    static final Path LUNGS_ONLY = Path.of("models/classifier-lungs-only");

    static XrayAnalyzer analyzer;
    static List<Path> films;

    @BeforeAll
    static void load() throws Exception {
        // the lung-masked classifier: most of these tests are about where its lung mask comes from
        analyzer = XrayAnalyzer.load(LUNGS_ONLY, Path.of("models/lung-segmenter"), AnalysisOptions.defaults());
        try (Stream<Path> s = Files.list(TestData.mini().resolve("images"))) {
            films = s.sorted().limit(40).toList();
        }
        assertEquals(40, films.size());
    }

    @AfterAll
    static void close() {
        if (analyzer != null) analyzer.close();
    }

    @Test
    void fourThreadsGiveTheSameAnswersAsOne() throws Exception {
        // without annotation, so both networks run for every film
        List<XrayInput> inputs = films.stream().map(XrayInput::of).toList();
        List<Analysis> one = new ArrayList<>();
        for (XrayInput in : inputs) one.add(analyzer.analyze(in));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Analysis>> fs = new ArrayList<>();
            for (XrayInput in : inputs) fs.add(pool.submit(() -> analyzer.analyze(in)));
            for (int i = 0; i < inputs.size(); i++) {
                Analysis a = fs.get(i).get();
                assertEquals(one.get(i).predicted(), a.predicted(), inputs.get(i).name());
                assertArrayEquals(one.get(i).probabilities(), a.probabilities(), 1e-5f, inputs.get(i).name());
                assertEquals("predicted", a.lungMaskSource());
            }
        } finally {
            pool.shutdown();
        }
        List<Outcome> batch = analyzer.analyzeAll(inputs, 4);
        for (int i = 0; i < inputs.size(); i++) assertArrayEquals(one.get(i).probabilities(), batch.get(i).analysis().probabilities(), 1e-5f);
    }

    @Test
    void workersGetNetworksOfTheirOwnLoadedOnceAndGiveTheSameAnswers() throws Exception {
        List<XrayInput> inputs = films.subList(0, 12).stream().map(XrayInput::of).toList();
        try (XrayAnalyzer a = XrayAnalyzer.load(LUNGS_ONLY, Path.of("models/lung-segmenter"), AnalysisOptions.defaults())) {
            List<Outcome> one = a.analyzeAll(inputs, 1);
            assertEquals(0, a.lanesLoaded(), "one worker uses the analyzer's own networks");
            List<Outcome> three = a.analyzeAll(inputs, 3);
            assertEquals(2, a.lanesLoaded(), "two more workers, two copies");
            List<Outcome> two = a.analyzeAll(inputs, 2);
            assertEquals(2, a.lanesLoaded(), "copies are kept for later calls, not loaded again");
            for (int i = 0; i < inputs.size(); i++) {
                assertTrue(one.get(i).ok(), inputs.get(i).name());
                assertEquals(one.get(i).analysis().predicted(), three.get(i).analysis().predicted());
                assertArrayEquals(one.get(i).analysis().probabilities(), three.get(i).analysis().probabilities(), 1e-6f);
                assertArrayEquals(one.get(i).analysis().probabilities(), two.get(i).analysis().probabilities(), 1e-6f);
            }
        }
    }

    @Test
    void bytesInMemoryAreAnalysedLikeTheFile() throws Exception {
        Path f = films.get(3);
        Analysis fromPath = analyzer.analyze(XrayInput.of(f));
        Analysis fromBytes = analyzer.analyze(XrayInput.of("upload", Files.readAllBytes(f)));
        assertArrayEquals(fromPath.probabilities(), fromBytes.probabilities(), 1e-6f);
        assertEquals("upload", fromBytes.name());
    }

    @Test
    void annotationGivesTheLungMaskAndBadFilmsGetAReasonWhileTheRestGoOn() throws Exception {
        Path f = films.get(0);
        String stem = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path ann = TestData.mini().resolve("annotations").resolve(stem + ".json");
        Analysis a = analyzer.analyze(XrayInput.of(f).withAnnotation(ann));
        assertEquals("annotation", a.lungMaskSource());
        assertEquals(a.image().width(), a.lungMask().width());
        double sum = 0;
        for (float p : a.probabilities()) sum += p;
        assertEquals(1.0, sum, 1e-5);
        List<Outcome> out = analyzer.analyzeAll(List.of(XrayInput.of("junk.png", "not an image".getBytes()), XrayInput.of(f)), 2);
        assertFalse(out.get(0).ok());
        assertFalse(out.get(0).reason().matches("(?s).*\\w+(Exception|Error)\\b.*"), out.get(0).reason());
        assertTrue(out.get(1).ok());
        assertThrows(BadInputException.class, () -> analyzer.analyze(XrayInput.of("empty", new byte[0])));
    }

    @Test
    void aWholeFilmModelStillGetsTheInputChecksLungShapeStep(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // the shipped classifier reads the whole film: it uses no lung mask
        Path whole = Path.of("models/classifier");
        assertTrue(Files.readString(whole.resolve("model.json")).contains("\"whole\""), "the shipped card names its mask mode");
        Path film = films.get(5);
        AnalysisOptions opts = AnalysisOptions.defaults().withCheckDir(Path.of("models/input-check")); // not beside the copy
        Path noSegmenter = tmp.resolve("no-segmenter"); // a segmenter folder that cannot be loaded
        Files.createDirectories(noSegmenter);
        try (XrayAnalyzer a = XrayAnalyzer.load(whole, Path.of("models/lung-segmenter"), opts)) {
            Analysis r = a.analyze(XrayInput.of(film), true);
            // the lungs were found for the check; the result is shown on the copy they were found on, with its outline
            assertEquals("predicted", r.lungMaskSource());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("the classifier reads the whole film")), r.warnings().toString());
            assertFalse(r.warnings().stream().anyMatch(w -> w.contains("not checked")), r.warnings().toString());
            GrayImage decoded = XrayAnalyzer.decode(XrayInput.of(film));
            assertTrue(r.image().width() <= 512 && r.image().height() <= 512);
            assertEquals(LungSegmenter.atWorkingSize(decoded).width(), r.image().width());
            assertEquals(r.image().width(), r.lungMask().width());
            assertEquals(r.image().height(), r.heatmap().height());
            // the classifier saw the film itself: the same probabilities as with the check off (no segmentation)
            try (XrayAnalyzer off = XrayAnalyzer.load(whole, null, opts.withInputCheck(false))) {
                Analysis o = off.analyze(XrayInput.of(film), true);
                assertArrayEquals(o.probabilities(), r.probabilities(), 1e-6f);
                assertEquals(decoded.width(), o.image().width(), "without the segmenter the film is shown as it is");
                assertNull(o.lungMask());
            }
        }
        // the check asks the segmenter for the lungs even though the classifier does not need them
        try (XrayAnalyzer a = XrayAnalyzer.load(whole, noSegmenter, opts)) {
            BadInputException e = assertThrows(BadInputException.class, () -> a.analyze(XrayInput.of(film)));
            assertTrue(e.getMessage().contains("no-segmenter"), e.getMessage());
        }
        // an annotated film: its polygons give the outline drawn, and nothing is segmented (the segmenter cannot load)
        String stem = film.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path ann = TestData.mini().resolve("annotations").resolve(stem + ".json");
        try (XrayAnalyzer a = XrayAnalyzer.load(whole, noSegmenter, opts)) {
            Analysis r = a.analyze(XrayInput.of(film).withAnnotation(ann), true);
            assertEquals("annotation", r.lungMaskSource());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("from the annotation")), r.warnings().toString());
            assertEquals(r.image().width(), r.lungMask().width());
            assertEquals(r.image().width(), r.heatmap().width());
        }
        // with the check off, nothing needs a segmenter
        try (XrayAnalyzer a = XrayAnalyzer.load(whole, noSegmenter, opts.withInputCheck(false))) {
            assertEquals("none", a.analyze(XrayInput.of(film)).lungMaskSource());
        }
        // no segmenter at all: analysed, with a warning that the lungs' shape went unchecked
        try (XrayAnalyzer a = XrayAnalyzer.load(whole, null, opts)) {
            assertTrue(a.analyze(XrayInput.of(film)).warnings().stream().anyMatch(w -> w.contains("lungs' shape was not checked")));
        }
    }
}
