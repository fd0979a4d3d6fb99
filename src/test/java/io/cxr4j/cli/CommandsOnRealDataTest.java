package io.cxr4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandsOnRealDataTest {
    @TempDir
    Path dir;

    @Test
    void inspectMiniMatchesItsMetadata() throws Exception {
        Path json = dir.resolve("i.json");
        CliRunner.Result r = CliRunner.run("inspect", TestData.mini().toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode t = new ObjectMapper().readTree(json.toFile());
        assertEquals(48, t.path("images").size());
        for (String l : List.of("bacterial_pneumonia", "healthy", "viral_pneumonia", "covid19")) {
            assertEquals(12, t.path("labels").path(l).asInt(), l);
        }
        long patients = Files.readAllLines(TestData.mini().resolve("metadata.csv")).stream().skip(1)
                .map(l -> l.split(",")[2]).distinct().count();
        assertEquals(patients, t.path("patients").asLong());
        assertTrue(r.out().contains("covid19"));
    }

    @Test
    void maskFullresWritesMasksAtOriginalSize() throws Exception {
        Path out = dir.resolve("m");
        CliRunner.Result r = CliRunner.run("mask", TestData.fullres().toString(), "--out", out.toString(), "--crop", "--size", "224", "--check-masks");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("mask check"), r.out());
        for (Path img : Files.list(TestData.fullres().resolve("images")).toList()) {
            String stem = img.getFileName().toString().replaceAll("\\.[^.]+$", "");
            var mask = io.cxr4j.image.ImageReader.read(out.resolve("masks/" + stem + ".png"));
            var header = io.cxr4j.image.ImageReader.header(img);
            assertEquals(header.width(), mask.width());
            assertEquals(header.height(), mask.height());
            var masked = io.cxr4j.image.ImageReader.read(out.resolve("masked/" + stem + ".png"));
            assertEquals(224, masked.width());
        }
    }

    @Test
    void splitKeepsPatientsTogether() throws Exception {
        Path csv = dir.resolve("split.csv");
        CliRunner.Result r = CliRunner.run("split", TestData.mini().toString(), "--out", csv.toString(), "--val", "0.2", "--test", "0.2", "--seed", "3");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("# seed=3", lines.get(0));
        assertEquals("file,label,patient_id,split,source", lines.get(1));
        assertEquals(48, lines.size() - 2);
        Map<String, String> partOf = new HashMap<>();
        for (String l : lines.subList(2, lines.size())) {
            String[] f = l.split(",");
            String prev = partOf.putIfAbsent(f[2], f[3]);
            assertTrue(prev == null || prev.equals(f[3]), "patient " + f[2] + " in two parts");
        }
        assertTrue(partOf.containsValue("test") && partOf.containsValue("val") && partOf.containsValue("train"));
    }

    @Test
    void demoDataRefusesToOverwriteAndWritesSynthetic() throws Exception {
        Path out = dir.resolve("demo");
        CliRunner.Result r = CliRunner.run("demo-data", "--out", out.toString(), "--n", "8", "--size", "96");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("SYNTHETIC"));
        assertEquals(8, Files.list(out.resolve("images")).count());
        r = CliRunner.run("demo-data", "--out", out.toString(), "--n", "8");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("already holds a dataset"), r.err());
    }
}
