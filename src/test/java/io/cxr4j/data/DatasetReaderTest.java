package io.cxr4j.data;

import io.cxr4j.testutil.TestData;
import io.cxr4j.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetReaderTest {
    @TempDir
    Path dir;

    @Test
    void miniHasTwelveImagesPerClassWithMetadataPatients() throws Exception {
        Dataset ds = DatasetReader.scan(TestData.mini());
        assertEquals(Dataset.Layout.DARWIN, ds.layout());
        assertEquals(48, ds.samples().size());
        assertTrue(ds.problems().isEmpty(), ds.problems().toString());
        assertTrue(ds.disagreements().isEmpty());
        Map<Label, Integer> c = new EnumMap<>(Label.class);
        for (Sample s : ds.labelled()) c.merge(s.label(), 1, Integer::sum);
        for (Label l : Label.values()) assertEquals(12, c.get(l), l.id());
        Sample covid = ds.samples().stream().filter(s -> s.file().equals("16724_1_1.jpg")).findFirst().orElseThrow();
        assertEquals("ieee-197", covid.patientId());
        assertEquals("AP", covid.view());
        assertEquals("ieee8023", covid.source());
        assertTrue(covid.annotation() != null && covid.mask() != null);
    }

    @Test
    void withoutMetadataLabelsComeFromTagsAndPatientsFromTagsOrFileNames() throws Exception {
        Path root = TestData.mini();
        Path copy = dir.resolve("nometa");
        copyDir(root.resolve("images"), copy.resolve("images"));
        copyDir(root.resolve("annotations"), copy.resolve("annotations"));
        Dataset withMeta = DatasetReader.scan(root);
        Dataset ds = DatasetReader.scan(copy);
        assertEquals(48, ds.labelled().size());
        for (Sample s : ds.samples()) {
            Sample m = withMeta.samples().stream().filter(x -> x.file().equals(s.file())).findFirst().orElseThrow();
            assertEquals(m.label(), s.label(), s.file());
            if (s.file().startsWith("person") || s.file().contains("IM-")) assertEquals(m.patientId(), s.patientId(), s.file());
            if (m.source().equals("ieee8023") && m.label() == Label.COVID19) {
                assertTrue(s.patientId().startsWith("v7-") || s.patientId().equals(PatientIds.stem(s.file())), s.patientId());
            }
        }
    }

    @Test
    void metadataThatDisagreesWithTagsIsReportedAndWins() throws Exception {
        Path root = dir.resolve("ds");
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("annotations"));
        Files.write(root.resolve("images/a.png"), new byte[] {1});
        Files.writeString(root.resolve("annotations/a.json"), """
                {"image":{"width":4,"height":4,"filename":"a.png"},"annotations":[{"name":"Bacterial Pneumonia","tag":{}}]}""");
        Files.writeString(root.resolve("metadata.csv"), "file,label,patient_id\na.png,healthy,p1\n");
        Dataset ds = DatasetReader.scan(root);
        assertEquals(1, ds.disagreements().size());
        assertEquals("healthy", ds.disagreements().get(0).metadataLabel());
        assertEquals("bacterial_pneumonia", ds.disagreements().get(0).tagLabel());
        assertEquals(Label.HEALTHY, ds.samples().get(0).label());
        assertEquals("p1", ds.samples().get(0).patientId());
    }

    @Test
    void orphansAndUnlabelledImagesAreReportedOrCounted() throws Exception {
        Path root = dir.resolve("ds2");
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("annotations"));
        Files.write(root.resolve("images/lonely.png"), new byte[] {1});        // neither annotation nor mask
        Files.writeString(root.resolve("annotations/ghost.json"), "{}");      // annotation without image
        Files.write(root.resolve("images/odd.png"), new byte[] {1});
        Files.writeString(root.resolve("annotations/odd.json"), """
                {"image":{"width":4,"height":4,"filename":"odd.png"},"annotations":[{"name":"Funny Tag","tag":{}}]}""");
        Dataset ds = DatasetReader.scan(root);
        assertEquals(1, ds.samples().size());
        assertEquals(null, ds.samples().get(0).label());
        assertEquals(1, ds.otherFindings().get("unlabelled"));
        assertEquals(2, ds.problems().size(), ds.problems().toString());
        assertTrue(ds.problems().stream().anyMatch(p -> p.file().endsWith("lonely.png") && p.reason().contains("no annotation")));
        assertTrue(ds.problems().stream().anyMatch(p -> p.file().endsWith("ghost.json") && p.reason().contains("without an image")));
    }

    @Test
    void classFolderLayout() throws Exception {
        Path root = dir.resolve("folders");
        Files.createDirectories(root.resolve("covid19"));
        Files.createDirectories(root.resolve("NORMAL"));
        Files.createDirectories(root.resolve("misc"));
        Files.write(root.resolve("covid19/x1.png"), new byte[] {1});
        Files.write(root.resolve("NORMAL/IM-0001-0001.jpeg"), new byte[] {1});
        Dataset ds = DatasetReader.scan(root);
        assertEquals(Dataset.Layout.CLASS_FOLDERS, ds.layout());
        assertEquals(2, ds.labelled().size());
        assertEquals("IM-0001", ds.samples().stream().filter(s -> s.label() == Label.HEALTHY).findFirst().orElseThrow().patientId());
        assertEquals(1, ds.problems().size());
        assertThrows(BadInputException.class, () -> DatasetReader.scan(dir.resolve("missing")));
        Files.createDirectories(dir.resolve("emptyish/whatever"));
        assertThrows(BadInputException.class, () -> DatasetReader.scan(dir.resolve("emptyish")));
    }

    static void copyDir(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }
}
