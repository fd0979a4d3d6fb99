package io.cxr4j.data;

import io.cxr4j.mask.LungMasks;
import io.cxr4j.testutil.TestData;
import io.cxr4j.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DarwinReaderTest {
    @TempDir
    Path dir;

    @Test
    void darwin2FilesGiveTheSameImageRegionsTagsAndMaskAsDarwin1() throws Exception {
        Path root = TestData.root();
        List<Path> v2files;
        try (Stream<Path> s = Files.list(root.resolve("darwin-v2"))) {
            v2files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(20, v2files.size());
        for (Path v2 : v2files) {
            DarwinFile b = DarwinReader.read(v2);
            DarwinFile a = DarwinReader.read(root.resolve("annotations").resolve(v2.getFileName()));
            assertTrue(b.version().startsWith("2"), v2.toString());
            assertEquals("1.0", a.version());
            assertEquals(a.fileName(), b.fileName());
            assertEquals(a.width(), b.width());
            assertEquals(a.height(), b.height());
            assertEquals(a.tags(), b.tags());
            assertEquals(a.regions().size(), b.regions().size());
            assertArrayEquals(LungMasks.semantic(a.width(), a.height(), a.regions()).pixels(),
                    LungMasks.semantic(b.width(), b.height(), b.regions()).pixels(), v2.toString());
        }
    }

    @Test
    void complexPolygonsKeepAllTheirPaths() throws Exception {
        DarwinFile d = DarwinReader.read(TestData.root().resolve("annotations/000001-2.json"));
        assertTrue(d.regions().stream().anyMatch(r -> r.paths().size() == 2), "complex_polygon with 2 paths");
    }

    @Test
    void tagsAndPatientTag() throws Exception {
        Path f = dir.resolve("x.json");
        Files.writeString(f, """
                {"image":{"width":10,"height":8,"filename":"x.png"},"annotations":[
                 {"name":"Lung","polygon":{"path":[{"x":1,"y":1},{"x":5,"y":1},{"x":5,"y":5}]}},
                 {"name":"PatientID:77","tag":{}},{"name":"COVID-19","tag":{}},{"name":"Viral Pneumonia","tag":{}}]}""");
        DarwinFile d = DarwinReader.read(f);
        assertEquals("x.png", d.fileName());
        assertEquals(10, d.width());
        assertEquals(List.of("PatientID:77", "COVID-19", "Viral Pneumonia"), d.tags());
        assertEquals("77", d.tagValue("PatientID"));
        assertEquals(1, d.regions().size());
    }

    @Test
    void brokenFilesGiveOneLineReasons() throws Exception {
        String[][] cases = {
                {"{\"image\": {\"width\": 10, \"height\": 8}, \"annotations\": [", "malformed"},
                {"{\"image\": {\"width\": 10 \"height\": 8}}", "malformed JSON at line 1"},
                {"", "empty annotation file"},
                {"[1,2,3]", "not a Darwin JSON object"},
                {"{\"dataset\": \"x\"}", "no \"image\" object"},
                {"{\"image\": {\"height\": 8}, \"annotations\": []}", "image.width"},
                {"{\"image\": {\"width\": 10, \"height\": 8}}", "no \"annotations\" array"},
                {"{\"image\": {\"width\": 10, \"height\": 8}, \"annotations\": [{\"name\":\"Lung\",\"polygon\":{\"path\":[{\"x\":\"a\",\"y\":1}]}}]}", "numeric x/y"},
        };
        int i = 0;
        for (String[] c : cases) {
            Path f = dir.resolve("bad" + (i++) + ".json");
            Files.writeString(f, c[0]);
            BadInputException e = assertThrows(BadInputException.class, () -> DarwinReader.read(f), c[0]);
            assertTrue(e.getMessage().contains(c[1]), "'" + e.getMessage() + "' should mention " + c[1]);
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }
}
