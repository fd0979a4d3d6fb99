package io.cxr4j.spark;

import io.cxr4j.synth.Negatives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cxr-spark predict --input-check DIR | --no-input-check} through the command line on local[1]: by default the
 * shipped models/input-check refuses a picture that is not a film; with the check off it gets a label.
 */
class InputCheckFlagsTest {
    private record Run(int code, String err) {}

    private static Run predict(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> a = new ArrayList<>(List.of("predict", "--master", "local[1]", "--model", SparkTestData.classifier().toString(),
                "--segmenter", SparkTestData.segmenter().toString(), "--format", "csv"));
        a.addAll(List.of(args));
        int code = Main.run(a.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        return new Run(code, err.toString(StandardCharsets.UTF_8).strip());
    }

    /** The CSV line of the landscape picture (part files, header skipped). */
    private static String landscapeRow(Path out) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> l = Files.list(out)) {
            for (Path p : l.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) lines.addAll(Files.readAllLines(p));
        }
        List<String> hits = lines.stream().filter(s -> s.contains("landscape.png")).toList();
        assertEquals(1, hits.size(), String.join("\n", lines));
        return hits.get(0);
    }

    @Test
    void theShippedCheckRefusesALandscapeAndNoInputCheckScoresIt(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("in"));
        try (Stream<Path> l = Files.list(SparkTestData.v7().resolve("images"))) {
            Path film = l.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
            Files.copy(film, folder.resolve(film.getFileName()));
        }
        // seed 2: a landscape in which the segmenter finds lung-like regions, so that with the check off it gets a
        // label (seed 1's gives "lungs not found (empty lung mask)", an error row, with the check off)
        assertTrue(ImageIO.write(Negatives.colour("landscape", 640, 480, 2), "png", folder.resolve("landscape.png").toFile()));

        Run on = predict(folder.toString(), "--out", tmp.resolve("on").toString());
        assertEquals(1, on.code(), on.err());
        assertTrue(on.err().contains("ok 1, refused 1, error 0"), on.err());
        String row = landscapeRow(tmp.resolve("on"));
        assertTrue(row.contains(",refused,") && row.contains("not a frontal chest X-ray"), row);

        Run off = predict("--no-input-check", folder.toString(), "--out", tmp.resolve("off").toString());
        assertEquals(0, off.code(), off.err());
        assertTrue(off.err().contains("ok 2, refused 0, error 0"), off.err());
        assertTrue(landscapeRow(tmp.resolve("off")).contains(",ok,"), landscapeRow(tmp.resolve("off")));
    }

    @Test
    void aMissingCheckFolderOrBothFlagsIsOneLineAndExitTwo(@TempDir Path tmp) {
        Run missing = predict("--input-check", tmp.resolve("no-check").toString(), tmp.toString(), "--out", tmp.resolve("o1").toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("cxr-spark: ") && missing.err().contains("no-check") && missing.err().contains("--no-input-check"), missing.err());
        assertFalse(missing.err().contains("Exception"), missing.err());
        assertFalse(Files.exists(tmp.resolve("o1")));

        Run both = predict("--input-check", SparkTestData.inputCheck().toString(), "--no-input-check", tmp.toString(), "--out", tmp.resolve("o2").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("cannot both be given"), both.err());
    }
}
