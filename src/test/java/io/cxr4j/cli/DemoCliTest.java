package io.cxr4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cxr demo} end to end on a few synthetic phantoms: every step's files, chained as library calls. */
class DemoCliTest {
    @TempDir
    Path dir;

    @Test
    void theDemoWritesEachStepsFilesAndReusesItsModel() throws Exception {
        Path out = dir.resolve("demo");
        CliRunner.Result r = CliRunner.run("demo", "--out", out.toString(), "--n", "40", "--epochs", "2", "--image-size", "64", "--threads", "1");
        assertEquals(0, r.exit(), r.err() + r.out());
        for (String step : List.of("[1/5] writing 40 SYNTHETIC", "[2/5] inspect", "[3/5] mask", "[4/5] train", "[5/5] evaluate",
                "masked 40 image(s), skipped 0", "epoch 2/2", "report: ", "Research tool, not a diagnostic device.")) {
            assertTrue(r.out().contains(step), step + "\n" + r.out());
        }
        JsonNode inspect = new ObjectMapper().readTree(out.resolve("inspect.json").toFile());
        assertEquals(40, inspect.path("images").size());
        for (String d : List.of("masks", "masked", "overlays")) {
            try (var files = Files.list(out.resolve("masked").resolve(d))) {
                assertEquals(40, files.count(), d);
            }
        }
        String log = Files.readString(out.resolve("model").resolve("train.log"));
        assertTrue(log.startsWith("cxr train " + out.resolve("data") + " --out " + out.resolve("model") + "  ["), log);
        assertTrue(log.contains("epoch 2/2") && log.contains("trained in"), log);
        JsonNode m = new ObjectMapper().readTree(out.resolve("report").resolve("metrics.json").toFile());
        assertEquals("test", m.path("split").asText());
        assertTrue(m.path("n").asInt() > 0 && m.path("n").asInt() < 40, m.toString());
        assertTrue(Files.isRegularFile(out.resolve("report").resolve("report.html")));

        // a second run reuses the data and the model
        CliRunner.Result again = CliRunner.run("demo", "--out", out.toString(), "--n", "40", "--epochs", "2", "--image-size", "64", "--threads", "1");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("[1/5] reusing the synthetic dataset") && again.out().contains("[4/5] reusing the model"), again.out());
    }
}
