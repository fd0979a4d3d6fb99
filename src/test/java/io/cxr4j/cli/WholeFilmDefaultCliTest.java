package io.cxr4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cxr train} trains on the whole film unless told {@code --lungs-only} (the masking ablation in docs/model.md),
 * and the shortcut audit runs on such a model, on the real mini/ set.
 */
class WholeFilmDefaultCliTest {
    @TempDir
    Path dir;

    private static final String[] TINY = {"--epochs", "1", "--image-size", "64", "--width", "16", "--blocks", "1,1", "--val", "0.25",
            "--test", "0.25", "--batch-size", "8"};

    private CliRunner.Result train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", TestData.mini().toString(), "--out", out.toString()));
        args.addAll(List.of(TINY));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static String maskMode(Path model) throws Exception {
        return new ObjectMapper().readTree(model.resolve("model.json").toFile()).path("input").path("maskMode").asText();
    }

    @Test
    void theDefaultIsTheWholeFilmAndLungsOnlyIsAsked() throws Exception {
        Path whole = dir.resolve("whole"), lungs = dir.resolve("lungs"), old = dir.resolve("old");
        CliRunner.Result r = train(whole);
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals("whole", maskMode(whole));
        assertEquals(0, train(lungs, "--lungs-only").exit());
        assertEquals("masked", maskMode(lungs));
        assertEquals(0, train(old, "--no-mask").exit(), "scripts that say --no-mask still run");
        assertEquals("whole", maskMode(old));

        CliRunner.Result both = train(dir.resolve("both"), "--lungs-only", "--no-mask");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--lungs-only and --no-mask"), both.err());
        assertFalse(both.err().matches("(?s).*\\b\\w+(Exception|Error)\\b.*"), both.err());
        assertFalse(Files.exists(dir.resolve("both").resolve("model.json")));

        // the audit runs on a whole-film model and says what its outline probe sees
        Path out = dir.resolve("audit");
        CliRunner.Result a = CliRunner.run("audit", "--model", whole.toString(), TestData.mini().toString(), "--out", out.toString());
        assertEquals(0, a.exit(), a.err());
        JsonNode j = new ObjectMapper().readTree(out.resolve("audit.json").toFile());
        assertTrue(j.path("input").asText().startsWith("whole film"), j.toString());
        assertFalse(j.path("probes").has("outline_classifier"), "the lungs-filled whole film is not the outline alone");
        assertEquals(j.path("probes").path("outline_probe").path("balanced_accuracy").asDouble(),
                j.path("goal").path("outline_only_balanced_accuracy").asDouble(), 1e-9, "the goal reads the outline probe");
        for (String k : List.of("outline_probe", "lungs_filled_classifier", "outside_lungs_probe", "classifier")) {
            double ba = j.path("probes").path(k).path("balanced_accuracy").asDouble(-1);
            assertTrue(ba >= 0 && ba <= 1, k + ": " + j.path("probes").path(k));
        }
    }
}
