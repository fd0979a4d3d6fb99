package io.cxr4j.cli;

import io.cxr4j.analysis.AnalysisOptions;
import io.cxr4j.analysis.Analysis;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.analysis.XrayInput;
import io.cxr4j.data.Sample;
import io.cxr4j.explain.Explanation;
import io.cxr4j.explain.HeatShare;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.image.ImageOps.Rect;
import io.cxr4j.model.Classifier;
import io.cxr4j.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grad-CAM heat maps from the shipped classifier on real films: predict --heatmaps, the analyzer's field, their shape and range. */
class HeatmapsCliTest {
    @TempDir
    Path dir;

    static List<Path> films(int n) throws Exception {
        try (Stream<Path> s = Files.list(TestData.mini().resolve("images"))) {
            return s.sorted().limit(n).toList();
        }
    }

    @Test
    void predictWritesOneHeatMapPerFilmAtTheAnalysedSize() throws Exception {
        List<Path> films = films(3);
        Path out = dir.resolve("heat");
        List<String> args = new ArrayList<>(List.of("predict", "--heatmaps", out.toString(), "--format", "csv"));
        films.forEach(f -> args.add(f.toString()));
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        for (Path f : films) {
            String stem = f.getFileName().toString().replaceAll("\\.[^.]+$", "");
            Path png = out.resolve(stem + ".png");
            assertTrue(Files.isRegularFile(png), png.toString());
            var header = ImageReader.header(f);
            java.awt.image.BufferedImage pic = javax.imageio.ImageIO.read(png.toFile());
            // mini films have annotations, so they are analysed at their own size
            assertEquals(header.width(), pic.getWidth(), stem);
            assertEquals(header.height(), pic.getHeight(), stem);
            boolean coloured = false;
            for (int y = 0; y < pic.getHeight() && !coloured; y += 3) {
                for (int x = 0; x < pic.getWidth(); x += 3) {
                    int c = pic.getRGB(x, y);
                    if (((c >> 16) & 0xFF) != (c & 0xFF)) { coloured = true; break; }
                }
            }
            assertTrue(coloured, "heat and outline drawn on " + stem);
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(films.size(), s.count(), "no temporary files left behind");
        }
    }

    @Test
    void twoFilmsWithOneStemAreRefusedBeforeAnyWork() throws Exception {
        Path f = films(1).get(0);
        Path copyDir = Files.createDirectories(dir.resolve("other"));
        Path same = Files.copy(f, copyDir.resolve(f.getFileName()));
        CliRunner.Result r = CliRunner.run("predict", "--heatmaps", dir.resolve("h").toString(), f.toString(), same.toString());
        assertEquals(ExitCodes.FAILED, r.exit(), r.err());
        assertTrue(r.err().contains("would both write"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(dir.resolve("h")));
    }

    @Test
    void theAnalyzerGivesAHeatMapOnlyWhenAskedWithItsMaximumInsideTheCrop() throws Exception {
        Path f = films(1).get(0);
        try (XrayAnalyzer with = XrayAnalyzer.load(Path.of("models/classifier"), Path.of("models/lung-segmenter"), AnalysisOptions.defaults().withHeatmap(true));
             XrayAnalyzer without = XrayAnalyzer.load(Path.of("models/classifier"), Path.of("models/lung-segmenter"), AnalysisOptions.defaults())) {
            // without annotation: analysed at the segmenter's working size
            XrayInput in = XrayInput.of(new Sample(f.getFileName().toString(), f, null, null, null, null, "p", null, null, null));
            Analysis a = with.analyze(in);
            assertNull(without.analyze(in).heatmap());
            GrayImage heat = a.heatmap();
            assertNotNull(heat);
            assertEquals(a.image().width(), heat.width());
            assertEquals(a.image().height(), heat.height());
            int max = 0;
            for (byte b : heat.pixels()) max = Math.max(max, b & 0xFF);
            assertEquals(255, max, "scaled to its maximum");
            Rect crop = with.card().input().cropRect(a.image(), a.lungMask());
            for (int y = 0; y < heat.height(); y++) {
                for (int x = 0; x < heat.width(); x++) {
                    boolean inCrop = x >= crop.x0() && x < crop.x1() && y >= crop.y0() && y < crop.y1();
                    if (!inCrop) assertEquals(0, heat.get(x, y), "no heat outside the model's input at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void sharesOfTheShippedModelsHeatOnAFewFilmsAreFractions() throws Exception {
        try (Classifier c = Classifier.load(Path.of("models/classifier"))) {
            for (Path f : films(4)) {
                GrayImage img = ImageReader.read(f);
                Sample s = new Sample(f.getFileName().toString(), f, TestData.mini().resolve("annotations")
                        .resolve(f.getFileName().toString().replaceAll("\\.[^.]+$", "") + ".json"), null, null, null, "p", null, null, null);
                GrayImage mask = io.cxr4j.data.MaskSource.AUTO.lungMask(s, img.width(), img.height());
                Explanation e = c.explain(img, mask);
                float[] p = c.predict(img, mask);
                assertEquals(io.cxr4j.eval.Metrics.argmax(p), e.cls(), "explains the class it predicts");
                Classifier.Explained both = c.predictExplained(img, mask);
                org.junit.jupiter.api.Assertions.assertArrayEquals(p, both.probabilities(), 1e-6f, "one pass gives predict's probabilities");
                org.junit.jupiter.api.Assertions.assertArrayEquals(e.grid(), both.explanation().grid(), 0f, "and explain's map");
                assertEquals(c.recipe().size() / 16, e.side());
                HeatShare sh = e.shares();
                assertNotNull(sh, f.toString());
                for (double v : new double[] {sh.inLungs(), sh.inRim(), sh.justOutside(), sh.rimArea()}) assertTrue(v >= 0 && v <= 1, sh.toString());
                assertTrue(sh.inRim() <= sh.inLungs() + 1e-9);
                assertTrue(sh.inLungs() + sh.justOutside() <= 1 + 1e-9);
            }
        }
    }
}
