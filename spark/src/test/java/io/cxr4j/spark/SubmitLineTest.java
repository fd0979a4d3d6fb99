package io.cxr4j.spark;

import io.cxr4j.check.CheckCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cluster master gets the spark-submit line, with the models and the input check packed to ship; nothing runs. */
class SubmitLineTest {
    private static String submitLine(String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("predict", "--master", "yarn", "--model", SparkTestData.classifier().toString(),
                "--segmenter", SparkTestData.segmenter().toString(), "hdfs:///archive/films", "--out", "hdfs:///scores/run1"));
        args.addAll(List.of(extra));
        int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).strip().replace(" \\\n  ", " ");
    }

    /** NAME -> the zip's entries, for each {@code ZIP#NAME} of --archives, in order. */
    private static Map<String, List<String>> archives(String line) throws Exception {
        Matcher m = Pattern.compile("--archives (\\S+)").matcher(line);
        assertTrue(m.find(), line);
        Map<String, List<String>> shipped = new LinkedHashMap<>();
        for (String a : m.group(1).split(",")) {
            String[] zipAndName = a.split("#");
            try (ZipFile z = new ZipFile(zipAndName[0])) {
                shipped.put(zipAndName[1], z.stream().map(ZipEntry::getName).toList());
            }
        }
        return shipped;
    }

    @Test
    void aClusterMasterPrintsTheSparkSubmitLineAndPacksTheModelsAndTheInputCheck() throws Exception {
        String line = submitLine();
        assertTrue(line.startsWith("spark-submit"), line);
        assertTrue(line.contains("--master yarn") && line.contains("--class io.cxr4j.spark.Main"), line);
        assertTrue(line.contains("predict") && line.contains("hdfs:///archive/films") && line.contains("--out hdfs:///scores/run1"), line);
        assertTrue(!line.contains("predict --master") && !line.matches("(?s).*predict.*--master.*"), "the job's own arguments have no --master: " + line);
        Map<String, List<String>> shipped = archives(line);
        assertEquals(List.of("classifier", "lung-segmenter", "input-check"), List.copyOf(shipped.keySet()), line);
        for (var e : shipped.entrySet()) {
            assertTrue(e.getValue().contains("model.json"), e.toString());
            assertTrue(e.getValue().size() >= 2, "model.json and a parameter file: " + e);
        }
        // the shipped check (no --input-check given) is models/input-check, its card and its parameters
        Path check = SparkTestData.inputCheck();
        assertEquals(List.of("model.json", CheckCard.read(check).params()), shipped.get("input-check"));
        assertTrue(line.contains("--input-check " + check), "the executors are told which check to use: " + line);
        assertFalse(line.contains("--no-input-check"), line);
    }

    @Test
    void anotherInputCheckIsShippedUnderItsNameAndNoInputCheckShipsNone(@TempDir Path tmp) throws Exception {
        Path mine = tmp.resolve("my-check");
        Files.createDirectories(mine);
        Path check = SparkTestData.inputCheck();
        Files.copy(check.resolve("model.json"), mine.resolve("model.json"));
        Files.copy(check.resolve(CheckCard.read(check).params()), mine.resolve(CheckCard.read(check).params()));
        String line = submitLine("--input-check", mine.toString());
        assertEquals(List.of("classifier", "lung-segmenter", "my-check"), List.copyOf(archives(line).keySet()), line);
        assertTrue(line.contains("--input-check " + mine.toAbsolutePath().normalize()), line);

        String off = submitLine("--no-input-check");
        assertEquals(List.of("classifier", "lung-segmenter"), List.copyOf(archives(off).keySet()), off);
        assertTrue(off.contains("--no-input-check") && !off.contains("--input-check "), off);
    }
}
