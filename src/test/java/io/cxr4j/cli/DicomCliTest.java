package io.cxr4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.data.Label;
import io.cxr4j.image.DicomWriter;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.synth.Phantoms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code cxr predict} and {@code cxr segment} on DICOM files (a synthetic phantom, fake identity), with the shipped models; with
 * {@code --no-input-check}, since a phantom is not a film (the check refuses it: InputCheckCliTest).
 */
class DicomCliTest {
    @TempDir
    static Path dir;
    static Path dcm, compressed;
    static final Path CLASSIFIER = Path.of("models", "classifier"), SEGMENTER = Path.of("models", "lung-segmenter");

    @BeforeAll
    static void writeDicom() throws Exception {
        GrayImage phantom = Phantoms.generate(Label.HEALTHY, 128, new Random(5)).image();
        // 12-bit MONOCHROME1 with a window, so the file only looks right if window and inversion are applied
        int[] px = new int[phantom.width() * phantom.height()];
        for (int i = 0; i < px.length; i++) px[i] = 1000 + (255 - (phantom.pixels()[i] & 0xFF)) * 8;
        Files.createDirectories(dir.resolve("in"));
        dcm = dir.resolve("in").resolve("scan.dcm");
        Files.write(dcm, DicomWriter.xray(DicomWriter.EXPLICIT, phantom.height(), phantom.width(), 16, 12, false, "MONOCHROME1")
                .str(0x00281050, "DS", "2020").str(0x00281051, "DS", "2041").pixels16(px).bytes());
        GrayImage back = ImageReader.read(dcm);
        for (int i = 0; i < px.length; i += 97) assertEquals(phantom.pixels()[i] & 0xFF, back.pixels()[i] & 0xFF, 1, "pixel " + i);
        compressed = dir.resolve("in").resolve("compressed.dcm");
        Files.write(compressed, DicomWriter.xray(DicomWriter.JPEG_2000, 8, 8, 16, 12, false, "MONOCHROME2")
                .encapsulated(new byte[] {(byte) 0xFF, 0x4F}).bytes());
    }

    static void noIdentity(CliRunner.Result r) {
        for (String s : List.of(DicomWriter.PATIENT_NAME, DicomWriter.PATIENT_ID, DicomWriter.BIRTH_DATE, DicomWriter.ACCESSION)) {
            assertFalse(r.out().contains(s) || r.err().contains(s), s);
        }
    }

    @Test
    void predictLabelsADicomFileAndNamesTheCompressedOneItRefuses() throws Exception {
        assumeTrue(Files.isRegularFile(CLASSIFIER.resolve("model.json")) && Files.isRegularFile(SEGMENTER.resolve("model.json")),
                "shipped models not present");
        CliRunner.Result r = CliRunner.run("predict", "--no-input-check", "--model", CLASSIFIER.toString(), "--segmenter", SEGMENTER.toString(),
                dcm.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(1, j.path("predictions").size());
        double sum = 0;
        for (JsonNode p : j.path("predictions").get(0).path("probabilities")) sum += p.asDouble();
        assertEquals(1.0, sum, 1e-3);
        noIdentity(r);

        // a folder: the .dcm files in it are picked up; the compressed one is named with its reason
        CliRunner.Result f = CliRunner.run("predict", "--no-input-check", "--model", CLASSIFIER.toString(), "--segmenter", SEGMENTER.toString(),
                dir.resolve("in").toString(), "--format", "csv");
        assertEquals(1, f.exit(), f.err());
        assertEquals(3, f.out().lines().count(), f.out()); // header + scan.dcm + the compressed file's error row
        assertTrue(f.out().lines().anyMatch(l -> l.startsWith(compressed + ",") && l.contains(",error,")), f.out());
        assertTrue(f.err().contains(compressed + ": compressed DICOM (JPEG 2000 Lossless, 1.2.840.10008.1.2.4.90) is not supported"), f.err());
        assertFalse(f.err().contains("\tat "), f.err());
        noIdentity(f);
    }

    @Test
    void segmentWritesAMaskAtTheDicomSize() throws Exception {
        assumeTrue(Files.isRegularFile(SEGMENTER.resolve("model.json")), "shipped segmenter not present");
        Path out = dir.resolve("seg");
        CliRunner.Result r = CliRunner.run("segment", "--no-input-check", "--model", SEGMENTER.toString(), dcm.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        ImageReader.Header h = ImageReader.header(out.resolve("masks").resolve("scan.png"));
        assertEquals(new ImageReader.Header(128, 128, "png"), h);
        noIdentity(r);
    }
}
