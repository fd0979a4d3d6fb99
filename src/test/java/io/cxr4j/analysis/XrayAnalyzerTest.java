package io.cxr4j.analysis;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one entry point, with the shipped models on real films: thread-safe, bytes = path, bad films get a reason. */
class XrayAnalyzerTest {
    static XrayAnalyzer analyzer;
    static List<Path> films;

    @BeforeAll
    static void load() throws Exception {
        analyzer = XrayAnalyzer.load(Path.of("models/classifier"), Path.of("models/lung-segmenter"), AnalysisOptions.defaults());
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
        try (XrayAnalyzer a = XrayAnalyzer.load(Path.of("models/classifier"), Path.of("models/lung-segmenter"), AnalysisOptions.defaults())) {
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
        // the shipped classifier's folder, its card saying "whole film": the classifier then uses no lung mask
        Path whole = tmp.resolve("whole");
        Files.createDirectories(whole);
        try (Stream<Path> s = Files.list(Path.of("models/classifier"))) {
            for (Path f : s.filter(Files::isRegularFile).toList()) Files.copy(f, whole.resolve(f.getFileName()));
        }
        String card = Files.readString(whole.resolve("model.json"));
        assertTrue(card.contains("\"masked\""), "the shipped card names its mask mode");
        Files.writeString(whole.resolve("model.json"), card.replace("\"masked\"", "\"whole\""));
        Path film = films.get(5);
        AnalysisOptions opts = AnalysisOptions.defaults().withCheckDir(Path.of("models/input-check")); // not beside the copy
        Path noSegmenter = tmp.resolve("no-segmenter"); // a segmenter folder that cannot be loaded
        Files.createDirectories(noSegmenter);
        try (XrayAnalyzer a = XrayAnalyzer.load(whole, Path.of("models/lung-segmenter"), opts)) {
            Analysis r = a.analyze(XrayInput.of(film));
            assertEquals("none", r.lungMaskSource(), "the classifier uses no mask");
            assertFalse(r.warnings().stream().anyMatch(w -> w.contains("not checked")), r.warnings().toString());
        }
        // the check asks the segmenter for the lungs even though the classifier does not need them
        try (XrayAnalyzer a = XrayAnalyzer.load(whole, noSegmenter, opts)) {
            BadInputException e = assertThrows(BadInputException.class, () -> a.analyze(XrayInput.of(film)));
            assertTrue(e.getMessage().contains("no-segmenter"), e.getMessage());
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
