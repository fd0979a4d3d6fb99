package io.cxr4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.check.Orientation;
import io.cxr4j.image.DicomWriter;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.image.ImageWriter;
import io.cxr4j.synth.Negatives;
import io.cxr4j.testutil.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The input check through the commands users run, with the shipped models: what is not a frontal chest X-ray
 * is refused with its reason, turned films are corrected and say so, and no Java exception name ever reaches
 * the user for bad images in predict, evaluate and segment.
 */
class InputCheckCliTest {
    @TempDir
    static Path dir;
    static Path film, photo, turned, flat, noise, text, truncated;
    static final Pattern JAVA_NAME = Pattern.compile("\\b[A-Z]\\w*(Exception|Error)\\b|\\tat ");

    @BeforeAll
    static void make() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path real;
        try (Stream<Path> s = Files.list(TestData.mini().resolve("images"))) {
            real = s.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
        film = in.resolve("film.jpg");
        Files.copy(real, film);
        photo = in.resolve("photo.png");
        ImageIO.write(Negatives.colour("landscape", 640, 480, 1), "png", photo.toFile());
        turned = in.resolve("turned.png");
        ImageWriter.writePng(Orientation.turnClockwise(ImageReader.read(real), 1), turned);
        byte[] grey = new byte[300 * 300];
        Arrays.fill(grey, (byte) 120);
        flat = in.resolve("flat.png");
        ImageWriter.writePng(new GrayImage(300, 300, grey), flat);
        byte[] rnd = new byte[300 * 300];
        new Random(3).nextBytes(rnd);
        noise = in.resolve("noise.png");
        ImageWriter.writePng(new GrayImage(300, 300, rnd), noise);
        text = in.resolve("notes.png");
        Files.writeString(text, "this is a text file\n");
        truncated = in.resolve("cut.png");
        byte[] full = Files.readAllBytes(flat);
        Files.write(truncated, Arrays.copyOf(full, full.length / 3));
    }

    static void noJavaNames(CliRunner.Result r) {
        assertFalse(JAVA_NAME.matcher(r.out()).find(), r.out());
        assertFalse(JAVA_NAME.matcher(r.err()).find(), r.err());
    }

    @Test
    void aPhotographIsRefusedWithItsReasonAndTheFilmStillGetsALabel() throws Exception {
        CliRunner.Result r = CliRunner.run("predict", photo.toString(), film.toString(), "--format", "json");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains(photo + ": not a frontal chest X-ray (not a radiograph"), r.err());
        noJavaNames(r);
        JsonNode rows = new ObjectMapper().readTree(r.out()).path("predictions");
        assertEquals(2, rows.size());
        int refused = 0, ok = 0;
        for (JsonNode row : rows) {
            if (row.path("status").asText().equals("refused")) {
                refused++;
                assertTrue(row.path("reason").asText().startsWith("not a frontal chest X-ray"));
                assertTrue(row.path("predicted").isMissingNode(), "a refused image gets no class");
            } else {
                ok++;
                assertEquals("ok", row.path("status").asText());
                assertFalse(row.path("predicted").asText().isEmpty());
            }
        }
        assertEquals(1, refused);
        assertEquals(1, ok);
        // only refused inputs: nothing could be labelled, exit 2
        CliRunner.Result only = CliRunner.run("predict", photo.toString());
        assertEquals(2, only.exit());
        assertTrue(only.err().contains("not a frontal chest X-ray"), only.err());
        // research use: with the check off a turned film gets a label as it is, and the output says the check was off
        CliRunner.Result off = CliRunner.run("predict", "--no-input-check", turned.toString(), "--format", "json");
        assertEquals(0, off.exit(), off.err());
        JsonNode row = new ObjectMapper().readTree(off.out()).path("predictions").get(0);
        assertEquals("ok", row.path("status").asText());
        assertTrue(row.path("corrections").isMissingNode(), "nothing corrected with the check off");
    }

    @Test
    void aTurnedFilmIsTurnedBackAndSaysSo() throws Exception {
        CliRunner.Result r = CliRunner.run("predict", turned.toString(), "--format", "csv");
        assertEquals(0, r.exit(), r.err());
        String row = r.out().lines().skip(1).findFirst().orElseThrow();
        assertTrue(row.contains(",ok,") && row.contains("turned 90 degrees clockwise; turned back"), row);
    }

    @Test
    void aDicomLabelledLateralIsRefusedByItsHeaderAndTheSameFilmAsPaIsNot() throws Exception {
        GrayImage img = ImageReader.read(film);
        GrayImage small = io.cxr4j.image.ImageOps.resize(img, img.width() / 2, img.height() / 2);
        int[] px = new int[small.width() * small.height()];
        for (int i = 0; i < px.length; i++) px[i] = small.pixels()[i] & 0xFF;
        Path pa = dir.resolve("in-dcm").resolve("pa.dcm"), ll = dir.resolve("in-dcm").resolve("ll.dcm");
        Files.createDirectories(pa.getParent());
        Files.write(pa, DicomWriter.xray(DicomWriter.EXPLICIT, small.height(), small.width(), 16, 8, false, "MONOCHROME2").pixels16(px).bytes());
        Files.write(ll, DicomWriter.xray(DicomWriter.EXPLICIT, small.height(), small.width(), 16, 8, false, "MONOCHROME2")
                .str(0x00185101, "CS", "LL").pixels16(px).bytes());
        CliRunner.Result r = CliRunner.run("predict", pa.toString(), ll.toString(), "--format", "csv");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains(ll + ": not a frontal chest X-ray (lateral view (DICOM View Position LL))"), r.err());
        assertFalse(r.err().contains(pa.toString()), r.err());
        noJavaNames(r);
        assertFalse(r.out().contains(DicomWriter.PATIENT_NAME), "no identity echoed");
    }

    @Test
    void badImagesGetOneLineReasonsAndNoJavaNamesInPredictSegmentAndEvaluate() throws Exception {
        CliRunner.Result p = CliRunner.run("predict", flat.toString(), noise.toString(), text.toString(), truncated.toString(), film.toString());
        assertEquals(1, p.exit(), p.err());
        assertTrue(p.err().contains(flat + ": not a frontal chest X-ray (blank"), p.err());
        assertTrue(p.err().contains(noise + ": not a frontal chest X-ray (noise"), p.err());
        assertTrue(p.err().contains(text + ": not an image"), p.err());
        assertTrue(p.err().contains(truncated + ": "), p.err());
        noJavaNames(p);

        CliRunner.Result s = CliRunner.run("segment", flat.toString(), noise.toString(), photo.toString(), text.toString(), film.toString(),
                "--out", dir.resolve("seg").toString());
        assertEquals(1, s.exit(), s.err());
        assertTrue(s.err().contains(photo + ": not a frontal chest X-ray"), s.err());
        assertTrue(s.err().contains(flat + ": not a frontal chest X-ray (blank"), s.err());
        noJavaNames(s);

        // a collection with class folders: the bad images are named, the film is evaluated
        Path coll = dir.resolve("coll");
        Files.createDirectories(coll.resolve("healthy"));
        for (Path f : new Path[] {flat, noise, photo, text, film}) Files.copy(f, coll.resolve("healthy").resolve(f.getFileName()));
        CliRunner.Result e = CliRunner.run("evaluate", coll.toString(), "--split", "all", "--out", dir.resolve("ev").toString());
        assertEquals(1, e.exit(), e.err());
        assertTrue(e.err().contains("flat.png: not a frontal chest X-ray (blank"), e.err());
        assertTrue(e.err().contains("photo.png: not a frontal chest X-ray"), e.err());
        noJavaNames(e);
        JsonNode m = new ObjectMapper().readTree(dir.resolve("ev").resolve("metrics.json").toFile());
        assertTrue(m.path("input_check").path("refused").asInt() >= 3, m.path("input_check").toString());
    }
}
