package io.cxr4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.testutil.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train / evaluate / predict through the CLI on the real mini/ set (a tiny, quick model). */
class ClassifierCliTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainTiny() {
        model = dir.resolve("model");
        CliRunner.Result r = CliRunner.run("train", TestData.mini().toString(), "--out", model.toString(), "--epochs", "2", "--lungs-only",
                "--image-size", "64", "--width", "16", "--blocks", "1,1", "--val", "0.25", "--test", "0.25", "--batch-size", "8");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("epoch 2/2"), r.out());
    }

    @Test
    void evaluateWritesEveryArtefactWithTheDocumentedKeys() throws Exception {
        Path out = dir.resolve("eval");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", model.toString(), TestData.mini().toString(), "--split", "all", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        for (String f : List.of("metrics.json", "classification_report.txt", "confusion_matrix.png", "roc.png", "calibration.png",
                "report.html", "predictions.csv")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(48, m.path("n").asInt());
        for (String k : List.of("classes", "accuracy", "macro_f1", "weighted_f1", "per_class", "confusion_matrix", "roc_auc", "ece",
                "by_source", "by_view", "non_covid_called_covid19")) {
            assertTrue(m.has(k), k);
        }
        int total = 0;
        for (JsonNode row : m.path("confusion_matrix")) for (JsonNode v : row) total += v.asInt();
        assertEquals(48, total);
        assertEquals(12, m.path("per_class").path("covid19").path("support").asInt());
        assertTrue(m.path("by_source").has("kermany") && m.path("by_source").has("ieee8023"));
        assertEquals(49, Files.readAllLines(out.resolve("predictions.csv")).size());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("not a diagnostic device"));
        assertTrue(html.contains("data:image/png;base64,"));
        assertFalse(html.contains("src=\"http"), "self-contained");
        // where the model looked: heat shares over every film (fewer than the sample size) and heat maps in the gallery
        JsonNode heat = m.path("heat_maps");
        assertEquals(48, heat.path("films").asInt(), heat.toString());
        assertEquals(10, heat.path("band_px").asInt());
        double in = heat.path("share_in_lungs").asDouble(-1), band = heat.path("share_in_outer_band").asDouble(-1);
        assertTrue(in >= 0 && in <= 1 && band >= 0 && band <= in + 1e-4, heat.toString());
        assertTrue(heat.path("share_just_outside_band").asDouble(-1) >= 0);
        assertTrue(html.contains("Where the model looked") && html.contains("Grad-CAM heat map"));
        // the model's own test split works too
        CliRunner.Result t = CliRunner.run("evaluate", "--model", model.toString(), TestData.mini().toString(), "--out", dir.resolve("eval-test").toString());
        assertEquals(0, t.exit(), t.err());
        JsonNode tm = new ObjectMapper().readTree(dir.resolve("eval-test/metrics.json").toFile());
        assertTrue(tm.path("n").asInt() > 0 && tm.path("n").asInt() < 48);
    }

    @Test
    void auditWritesItsProbesOnTheModelsTestPatients() throws Exception {
        Path out = dir.resolve("audit");
        CliRunner.Result r = CliRunner.run("audit", "--model", model.toString(), TestData.mini().toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode a = new ObjectMapper().readTree(out.resolve("audit.json").toFile());
        JsonNode probes = a.path("probes");
        for (String k : List.of("outline_probe", "outline_classifier", "outside_lungs_probe", "source_from_input_probe", "class_from_input_probe",
                "classifier")) {
            double ba = probes.path(k).path("balanced_accuracy").asDouble(-1);
            assertTrue(ba >= 0 && ba <= 1, k + ": " + probes.path(k));
        }
        long test = Files.readAllLines(model.resolve("split.csv")).stream().filter(l -> l.contains(",test,")).count();
        assertEquals(test, probes.path("outline_probe").path("test_films").asLong());
        assertEquals(a.path("films").path("test").asLong(), test);
        // the filled outline is all zeros after the model's normalisation: one answer for every film, so chance
        assertEquals(probes.path("outline_classifier").path("chance").asDouble(), probes.path("outline_classifier").path("balanced_accuracy").asDouble(), 1e-9);
        assertTrue(a.path("goal").has("met"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("not a diagnostic device") && html.contains("balanced accuracy"));
        assertTrue(r.out().contains("outline_probe"), r.out());
    }

    @Test
    void predictOnImagesOfADatasetAndRefusesImagesWithoutMask() throws Exception {
        Path img = Files.list(TestData.mini().resolve("images")).sorted().findFirst().orElseThrow();
        CliRunner.Result r = CliRunner.run("predict", "--model", model.toString(), img.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(1, j.path("predictions").size());
        double sum = 0;
        for (JsonNode p : j.path("predictions").get(0).path("probabilities")) sum += p.asDouble();
        assertEquals(1.0, sum, 1e-3);
        assertTrue(j.path("disclaimer").asText().contains("not a diagnostic device"));

        Path lonely = dir.resolve("elsewhere").resolve(img.getFileName().toString());
        Files.createDirectories(lonely.getParent());
        Files.copy(img, lonely);
        // no annotation and no usable segmenter: that image is refused, the other one is still predicted
        CliRunner.Result r2 = CliRunner.run("predict", "--model", model.toString(), lonely.toString(), img.toString(), "--format", "csv",
                "--segmenter", dir.resolve("no-such-segmenter").toString());
        assertEquals(1, r2.exit(), r2.err());
        assertTrue(r2.err().contains(lonely + ": no lung annotation"), r2.err());
        assertTrue(r2.err().contains("no lung segmenter"), r2.err());
        assertEquals(3, r2.out().lines().count(), r2.out()); // header + the annotated image + the refused one's status row
        assertTrue(r2.out().lines().skip(1).findFirst().orElseThrow().contains(",annotation,"), r2.out());
        String refusedRow = r2.out().lines().skip(2).findFirst().orElseThrow();
        assertTrue(refusedRow.startsWith(lonely.toString() + ",") && refusedRow.contains(",error,") && refusedRow.contains("no lung segmenter"), refusedRow);
        CliRunner.Result r3 = CliRunner.run("predict", "--model", model.toString(), lonely.toString(),
                "--annotations", TestData.mini().resolve("annotations").toString());
        assertEquals(0, r3.exit(), r3.err());
    }

    @Test
    void badModelFolderIsAOneLineError() {
        CliRunner.Result r = CliRunner.run("predict", "--model", dir.resolve("nope").toString(), "x.png");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("model folder not found"), r.err());
        assertFalse(r.err().contains("\tat "));
    }
}
