package io.cxr4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.image.ImageReader;
import io.cxr4j.quality.brisque.Brisque;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --max-brisque leaves out exactly the films scoring at or above the cut-off, names them, and says when the model is missing. */
class BrisqueFilterCliTest {
    @TempDir
    Path dir;

    static Brisque model() throws Exception {
        boolean present = Files.isRegularFile(Brisque.DEFAULT_DIR.resolve(Brisque.MODEL_FILE));
        if (!present && TestData.required()) throw new AssertionError("OpenCV's BRISQUE model is not installed (apt-get install opencv-data)");
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "OpenCV's BRISQUE model is not installed");
        return Brisque.load(null);
    }

    @Test
    void maxBrisqueLeavesOutTheWorstFilmsAndNamesThem() throws Exception {
        Brisque b = model();
        List<Path> films;
        try (Stream<Path> s = Files.list(TestData.mini().resolve("images"))) {
            films = s.sorted().toList();
        }
        List<String> atOrAbove = new ArrayList<>();
        for (Path f : films) if (b.score(ImageReader.read(f)) >= 10.0) atOrAbove.add(f.getFileName().toString());
        assertTrue(!atOrAbove.isEmpty() && atOrAbove.size() < films.size(), "the cut-off splits mini: " + atOrAbove.size());
        Path out = dir.resolve("eval");
        CliRunner.Result r = CliRunner.run("evaluate", TestData.mini().toString(), "--split", "all", "--max-brisque", "10", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("left out " + atOrAbove.size() + " film(s) scoring BRISQUE >= 10.0"), r.err());
        for (String f : atOrAbove) assertTrue(r.err().contains(f), f);
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(films.size() - atOrAbove.size(), m.path("n").asInt());
        assertEquals(atOrAbove.size(), m.path("brisque_filter").path("left_out").asInt());
    }

    @Test
    void aMissingModelIsOneLineNamingTheDebianPackage() {
        Path out = dir.resolve("eval2");
        CliRunner.Result r = CliRunner.run("evaluate", TestData.mini().toString(), "--split", "all", "--max-brisque", "30",
                "--brisque-model", dir.resolve("nowhere").toString(), "--out", out.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("apt-get install opencv-data"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().matches("(?s).*\\w+(Exception|Error)\\b.*"), r.err());
    }
}
