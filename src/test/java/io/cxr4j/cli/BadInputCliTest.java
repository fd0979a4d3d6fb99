package io.cxr4j.cli;

import io.cxr4j.synth.Phantoms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dataset of good phantoms plus one crafted broken item per kind of bad input: every broken item is
 * named on stderr with a one-line reason, every good item is still processed, exit status 1.
 */
class BadInputCliTest {
    @TempDir
    static Path dir;
    static Path ds;
    static final int GOOD = 8;

    static String ann(String file, int w, int h, String regions) {
        return "{\"image\":{\"width\":" + w + ",\"height\":" + h + ",\"filename\":\"" + file + "\"},\"annotations\":["
                + regions + (regions.isEmpty() ? "" : ",") + "{\"name\":\"Bacterial Pneumonia\",\"tag\":{}}]}";
    }

    static String poly(String name, double... xy) {
        StringBuilder sb = new StringBuilder("{\"name\":\"" + name + "\",\"polygon\":{\"path\":[");
        for (int i = 0; i < xy.length; i += 2) sb.append(i == 0 ? "" : ",").append("{\"x\":").append(xy[i]).append(",\"y\":").append(xy[i + 1]).append('}');
        return sb.append("]}}").toString();
    }

    @BeforeAll
    static void craft() throws Exception {
        ds = dir.resolve("ds");
        Phantoms.writeDataset(ds, GOOD, 96, 11);
        Files.delete(ds.resolve("metadata.csv")); // labels then come from tags, so crafted files need no rows
        Path img = ds.resolve("images"), an = ds.resolve("annotations");
        BufferedImage bi = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(bi, "png", png);
        String goodLung = poly("Lung", 5, 5, 30, 5, 30, 50, 5, 50);
        // image problems (each with a valid annotation)
        Files.createFile(img.resolve("zero.png"));
        Files.write(img.resolve("truncated.png"), Arrays.copyOf(png.toByteArray(), png.size() / 2));
        Files.writeString(img.resolve("text.png"), "hello, I am text\n");
        Files.write(img.resolve("huge.png"), io.cxr4j.image.ImageReaderTestAccess.hugePng());
        for (String s : List.of("zero", "truncated", "text", "huge")) Files.writeString(an.resolve(s + ".json"), ann(s + ".png", 64, 64, goodLung));
        // annotation problems (each with a valid image)
        String[][] anns = {
                {"malformed", "{\"image\": {\"width\": 64, \"height\": 64}, \"annotations\": [ {\"name\": \"Lung\", "},
                {"fewpoints", ann("fewpoints.png", 64, 64, poly("Lung", 5, 5, 30, 30))},
                {"faroutside", ann("faroutside.png", 64, 64, poly("Lung", 5, 5, 3000, 5, 3000, 50, 5, 50))},
                {"nolung", ann("nolung.png", 64, 64, poly("Ignore", 5, 5, 30, 5, 30, 50))},
                {"wrongsize", ann("wrongsize.png", 128, 128, goodLung)},
        };
        for (String[] a : anns) {
            Files.write(img.resolve(a[0] + ".png"), png.toByteArray());
            Files.writeString(an.resolve(a[0] + ".json"), a[1]);
        }
        Files.writeString(an.resolve("orphan.json"), ann("orphan.png", 64, 64, goodLung)); // no image
        Files.write(img.resolve("nothing.png"), png.toByteArray());                       // no annotation, no mask
        // unknown tags only: still maskable, but has no label
        Files.write(img.resolve("unknowntags.png"), png.toByteArray());
        Files.writeString(an.resolve("unknowntags.json"), "{\"image\":{\"width\":64,\"height\":64,\"filename\":\"unknowntags.png\"},"
                + "\"annotations\":[" + goodLung + ",{\"name\":\"Mystery\",\"tag\":{}}]}");
    }

    static final List<String> BAD = List.of("zero.png", "truncated.png", "text.png", "huge.png", "malformed.json",
            "fewpoints.json", "faroutside.json", "nolung.json", "wrongsize.png", "orphan.json", "nothing.png");

    @Test
    void maskSkipsEachBadItemWithAOneLineReasonAndProcessesTheRest() throws Exception {
        Path out = dir.resolve("out-mask");
        CliRunner.Result r = CliRunner.run("mask", ds.toString(), "--out", out.toString(), "--crop", "--size", "32", "--overlay");
        assertEquals(ExitCodes.PARTIAL, r.exit(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("mask:")).toList();
        for (String bad : BAD) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(bad + ": ")), bad + " not reported in:\n" + r.err());
        }
        assertEquals(BAD.size(), lines.size(), "exactly one line per bad item:\n" + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
        assertTrue(lines.stream().anyMatch(l -> l.contains("huge.png") && l.contains("100000x100000")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("fewpoints.json") && l.contains("2 points")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("nolung.json") && l.contains("no Lung polygon")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("malformed.json") && l.contains("JSON")));
        // all good items (and the one with unknown tags) were written, and no temp files are left
        try (Stream<Path> s = Files.list(out.resolve("masks"))) {
            assertEquals(GOOD + 1, s.count());
        }
        try (Stream<Path> s = Files.walk(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
        assertEquals(GOOD + 1, Files.list(out.resolve("overlays")).count());
        var masked = io.cxr4j.image.ImageReader.read(Files.list(out.resolve("masked")).sorted().findFirst().orElseThrow());
        assertEquals(32, masked.width());
    }

    @Test
    void verboseAddsStackTracesOnlyForUnexpectedErrors() {
        CliRunner.Result r = CliRunner.run("mask", dir.resolve("nope").toString(), "--out", dir.resolve("o2").toString(), "--verbose");
        assertEquals(ExitCodes.FAILED, r.exit());
        assertTrue(r.err().contains("dataset folder not found"), r.err());
    }

    @Test
    void inspectCountsAndReportsBadItems() throws Exception {
        Path json = dir.resolve("inspect.json");
        CliRunner.Result r = CliRunner.run("inspect", ds.toString(), "--json", json.toString());
        assertEquals(ExitCodes.PARTIAL, r.exit(), r.err());
        assertTrue(r.err().contains("text.png: not an image"), r.err());
        assertTrue(r.out().contains("unlabelled"), r.out());
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals(1, tree.path("other_findings").path("unlabelled").asInt());
        assertTrue(tree.path("images").size() >= GOOD);
    }

    @Test
    void usageErrorsExitTwoWithoutStackTrace() {
        CliRunner.Result r = CliRunner.run("mask", ds.toString());
        assertEquals(ExitCodes.FAILED, r.exit());
        assertTrue(r.err().contains("--out"), r.err());
        r = CliRunner.run("mask", ds.toString(), "--out", ds.toString());
        assertEquals(ExitCodes.FAILED, r.exit());
        assertTrue(r.err().contains("would write into the dataset"), r.err());
        r = CliRunner.run("mask", ds.toString(), "--out", ds.resolve("masks/x").toString());
        assertEquals(ExitCodes.FAILED, r.exit());
        r = CliRunner.run("frobnicate");
        assertEquals(ExitCodes.FAILED, r.exit());
        r = CliRunner.run("split", ds.toString(), "--out", dir.resolve("s.csv").toString(), "--val", "0.6", "--test", "0.6");
        assertEquals(ExitCodes.FAILED, r.exit());
        assertFalse(r.err().contains("\tat "));
    }

    @Test
    void nothingProcessableExitsTwo() throws Exception {
        Path only = dir.resolve("onlybad");
        Files.createDirectories(only.resolve("images"));
        Files.writeString(only.resolve("images/a.png"), "text");
        Files.createDirectories(only.resolve("annotations"));
        Files.writeString(only.resolve("annotations/a.json"), ann("a.png", 64, 64, poly("Lung", 5, 5, 30, 5, 30, 50)));
        CliRunner.Result r = CliRunner.run("mask", only.toString(), "--out", dir.resolve("o3").toString());
        assertEquals(ExitCodes.FAILED, r.exit());
        assertTrue(r.err().contains("a.png: not an image"), r.err());
    }
}
