package io.cxr4j.image;

import io.cxr4j.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

import static io.cxr4j.image.DicomWriter.ACCESSION;
import static io.cxr4j.image.DicomWriter.BIRTH_DATE;
import static io.cxr4j.image.DicomWriter.EXPLICIT;
import static io.cxr4j.image.DicomWriter.IMPLICIT;
import static io.cxr4j.image.DicomWriter.PATIENT_ID;
import static io.cxr4j.image.DicomWriter.PATIENT_NAME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DicomReaderTest {
    @TempDir
    Path dir;

    static final int WINDOW_CENTER = 0x00281050, WINDOW_WIDTH = 0x00281051, SLOPE = 0x00281053, INTERCEPT = 0x00281052,
            VOI_LUT_SEQUENCE = 0x00283010, LUT_DESCRIPTOR = 0x00283002, LUT_DATA = 0x00283006;

    /** 20x20, 12 of 16 bits: pixel i holds 1000 + i, except a dark outlier (0) first and a bright one (4095) last. */
    static int[] outlierRamp() {
        int[] v = new int[400];
        for (int i = 0; i < v.length; i++) v[i] = 1000 + i;
        v[0] = 0;
        v[399] = 4095;
        return v;
    }

    static byte[] ramp(String ts, String photometric) {
        return DicomWriter.xray(ts, 20, 20, 16, 12, false, photometric).pixels16(outlierRamp()).bytes();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = DicomReaderTest.class.getResourceAsStream("dicom/" + name)) {
            assertTrue(in != null, name);
            return in.readAllBytes();
        }
    }

    static int[] grey(GrayImage g) {
        int[] out = new int[g.width() * g.height()];
        for (int i = 0; i < out.length; i++) out[i] = g.pixels()[i] & 0xFF;
        return out;
    }

    /** DICOM PS3.3 C.11.2.1.2.1, the default (LINEAR) window, written out independently of the reader. */
    static int linearWindow(double x, double c, double w) {
        if (x <= c - 0.5 - (w - 1) / 2) return 0;
        if (x > c - 0.5 + (w - 1) / 2) return 255;
        return (int) Math.round(((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
    }

    @Test
    void explicitVrLittleEndianWithoutWindowIsStretchedBetweenPercentiles() throws Exception {
        ImageReader.Decoded d = ImageReader.decode(file("ramp.dcm", ramp(EXPLICIT, "MONOCHROME2")));
        assertEquals("dicom", d.format());
        GrayImage g = d.image();
        assertEquals(20, g.width());
        assertEquals(20, g.height());
        // 400 pixels: the 0.5th percentile is the 2nd smallest (1001), the 99.5th the 2nd largest (1398)
        assertEquals(0, g.get(0, 0), "dark outlier clipped");
        assertEquals(255, g.get(19, 19), "bright outlier clipped");
        assertEquals(0, g.get(1, 0));
        assertEquals(Math.round((1200 - 1001) * 255.0 / (1398 - 1001)), g.get(0, 10)); // pixel 200
        assertEquals(255, g.get(18, 19)); // 1398
        DicomFacts f = d.dicom();
        assertEquals(new DicomFacts(EXPLICIT, "DX", "CHEST", "PA", "MONOCHROME2", 20, 20, 16, 12, false, "min-max"), f);
    }

    @Test
    void implicitVrLittleEndianReadsTheSame() throws Exception {
        GrayImage explicit = ImageReader.read(file("e.dcm", ramp(EXPLICIT, "MONOCHROME2")));
        ImageReader.Decoded implicit = ImageReader.decode(file("i.dcm", ramp(IMPLICIT, "MONOCHROME2")));
        assertEquals(explicit, implicit.image());
        assertEquals(IMPLICIT, implicit.dicom().transferSyntaxUid());
    }

    @Test
    void monochrome1IsInverted() throws Exception {
        int[] m2 = grey(ImageReader.read(file("m2.dcm", ramp(EXPLICIT, "MONOCHROME2"))));
        int[] m1 = grey(ImageReader.read(file("m1.dcm", ramp(EXPLICIT, "MONOCHROME1"))));
        for (int i = 0; i < m2.length; i++) assertEquals(255 - m2[i], m1[i], "pixel " + i);
        assertEquals(255, m1[0]); // the darkest stored value is white in MONOCHROME1
    }

    @Test
    void twelveBitWindowMapsKnownValuesAndIgnoresBitsAboveBitsStored() throws Exception {
        int[] stored = {0, 1536, 1537, 1792, 2048, 2304, 2559, 2560, 4095};
        int[] raw = stored.clone();
        for (int i = 0; i < raw.length; i += 2) raw[i] |= 0xA000; // junk above bit 11 (e.g. an overlay plane)
        byte[] dcm = DicomWriter.xray(EXPLICIT, 3, 3, 16, 12, false, "MONOCHROME2")
                .str(WINDOW_CENTER, "DS", "2048").str(WINDOW_WIDTH, "DS", "1024").pixels16(raw).bytes();
        ImageReader.Decoded d = ImageReader.decode(file("w.dcm", dcm));
        assertArrayEquals(new int[] {0, 0, 0, 64, 128, 191, 255, 255, 255}, grey(d.image()));
        for (int i = 0; i < stored.length; i++) assertEquals(linearWindow(stored[i], 2048, 1024), grey(d.image())[i]);
        assertEquals("window", d.dicom().voi());
        assertEquals(12, d.dicom().bitsStored());
    }

    @Test
    void highBitBelowTheTopIsHonoured() throws Exception {
        // 12 bits stored in bits 13..2 (High Bit 13): the values sit two bits up
        int[] stored = {0, 1024, 2048, 4095};
        int[] raw = Arrays.stream(stored).map(v -> (v << 2) | 0x3).toArray();
        byte[] dcm = DicomWriter.xray(EXPLICIT, 1, 4, 16, 12, false, "MONOCHROME2").us(0x00280102, 13)
                .str(WINDOW_CENTER, "DS", "2048").str(WINDOW_WIDTH, "DS", "4096").pixels16(raw).bytes();
        int[] g = grey(ImageReader.read(file("hb.dcm", dcm)));
        for (int i = 0; i < stored.length; i++) assertEquals(linearWindow(stored[i], 2048, 4096), g[i]);
    }

    @Test
    void rescaleSlopeAndInterceptComeBeforeTheWindow() throws Exception {
        // modality value = 2 * stored - 1000; the window (0 / 2000) is in modality units
        int[] stored = {0, 250, 500, 750, 1000};
        byte[] dcm = DicomWriter.xray(EXPLICIT, 1, 5, 16, 12, false, "MONOCHROME2")
                .str(SLOPE, "DS", "2").str(INTERCEPT, "DS", "-1000")
                .str(WINDOW_CENTER, "DS", "0").str(WINDOW_WIDTH, "DS", "2000").pixels16(stored).bytes();
        int[] g = grey(ImageReader.read(file("r.dcm", dcm)));
        assertArrayEquals(new int[] {0, 64, 128, 191, 255}, g);
        for (int i = 0; i < stored.length; i++) assertEquals(linearWindow(2.0 * stored[i] - 1000, 0, 2000), g[i]);
    }

    @Test
    void negativeSlopeReversesTheStretch() throws Exception {
        byte[] dcm = DicomWriter.xray(EXPLICIT, 1, 3, 16, 16, false, "MONOCHROME2")
                .str(SLOPE, "DS", "-1").pixels16(100, 200, 300).bytes();
        assertArrayEquals(new int[] {255, 128, 0}, grey(ImageReader.read(file("neg.dcm", dcm))));
    }

    @Test
    void signedPixelsWithOrWithoutSignExtension() throws Exception {
        int[] values = {-2000, -1000, 0, 1000, 2000};
        int[] extended = Arrays.stream(values).map(v -> v & 0xFFFF).toArray(); // as most writers store them
        int[] bare = Arrays.stream(values).map(v -> v & 0x0FFF).toArray();     // 12-bit two's complement, top bits 0
        for (int[] raw : List.of(extended, bare)) {
            byte[] dcm = DicomWriter.xray(EXPLICIT, 1, 5, 16, 12, true, "MONOCHROME2").pixels16(raw).bytes();
            ImageReader.Decoded d = ImageReader.decode(file("s.dcm", dcm));
            assertTrue(d.dicom().signed());
            assertArrayEquals(new int[] {0, 64, 128, 191, 255}, grey(d.image())); // min-max over -2000..2000
            byte[] windowed = DicomWriter.xray(EXPLICIT, 1, 5, 16, 12, true, "MONOCHROME2")
                    .str(WINDOW_CENTER, "DS", "0").str(WINDOW_WIDTH, "DS", "4096").pixels16(raw).bytes();
            int[] g = grey(ImageReader.read(file("sw.dcm", windowed)));
            for (int i = 0; i < values.length; i++) assertEquals(linearWindow(values[i], 0, 4096), g[i], "value " + values[i]);
        }
    }

    @Test
    void eightBitPixels() throws Exception {
        byte[] px = new byte[256];
        for (int i = 0; i < 256; i++) px[i] = (byte) i;
        byte[] dcm = DicomWriter.xray(EXPLICIT, 16, 16, 8, 8, false, "MONOCHROME2")
                .str(WINDOW_CENTER, "DS", "128").str(WINDOW_WIDTH, "DS", "256").pixels8(px).bytes();
        int[] g = grey(ImageReader.read(file("b8.dcm", dcm)));
        for (int i = 0; i < 256; i++) assertEquals(linearWindow(i, 128, 256), g[i]);
    }

    /** A VOI LUT of 4 entries from stored value 1000, 12-bit output, next to a window it must win over. */
    static byte[] withVoiLut(String ts, String lutVr, boolean undefinedLength) {
        DicomWriter w = DicomWriter.xray(ts, 1, 6, 16, 12, false, "MONOCHROME2")
                .str(WINDOW_CENTER, "DS", "3000").str(WINDOW_WIDTH, "DS", "10").pixels16(999, 1000, 1001, 1002, 1003, 2000);
        return w.sequence(VOI_LUT_SEQUENCE, undefinedLength, List.of(w.item().us(LUT_DESCRIPTOR, 4, 1000, 12)
                .raw(LUT_DATA, lutVr, DicomWriter.le16(0, 1365, 2730, 4095)))).bytes();
    }

    @Test
    void voiLutIsAppliedBeforeAnyWindow() throws Exception {
        for (byte[] dcm : List.of(withVoiLut(IMPLICIT, "US", true), withVoiLut(EXPLICIT, "US", true), withVoiLut(EXPLICIT, "US", false))) {
            ImageReader.Decoded d = ImageReader.decode(file("lut.dcm", dcm));
            assertEquals("VOI LUT", d.dicom().voi());
            assertArrayEquals(new int[] {0, 0, 85, 170, 255, 255}, grey(d.image()));
        }
    }

    @Test
    void voiLutDataEncodedAsOwIsNotListedByImageJSoTheWindowIsUsed() throws Exception {
        // a documented limit of ImageJ 1.54p: explicit VR OW LUT Data is skipped by its decoder
        ImageReader.Decoded d = ImageReader.decode(file("ow.dcm", withVoiLut(EXPLICIT, "OW", true)));
        assertEquals("window", d.dicom().voi());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0}, grey(d.image()));
    }

    @Test
    void severalWindowsUseTheFirstThatImageJReports() throws Exception {
        // ImageJ 1.54p keeps only what follows the first backslash of Window Center/Width, so of two windows
        // the second is the one applied (documented in docs/dicom.md); pinned here so an upgrade shows up
        byte[] dcm = DicomWriter.xray(EXPLICIT, 1, 3, 16, 12, false, "MONOCHROME2")
                .str(WINDOW_CENTER, "DS", "100\\2048").str(WINDOW_WIDTH, "DS", "50\\1024").pixels16(1792, 2048, 2304).bytes();
        assertArrayEquals(new int[] {64, 128, 191}, grey(ImageReader.read(file("two.dcm", dcm))));
    }

    @Test
    void dcmtkImplicitMonochrome1FixtureWithWindow() throws Exception {
        // made by dump2dcm + dcmconv (make-fixtures.sh): 4x4, pixel i = 256 i, window 2048/1024, MONOCHROME1
        ImageReader.Decoded d = ImageReader.decode(file("dcmtk.dcm", resource("dcmtk-implicit-monochrome1-12bit.dcm")));
        int[] g = grey(d.image());
        for (int i = 0; i < 16; i++) assertEquals(255 - linearWindow(256 * i, 2048, 1024), g[i], "pixel " + i);
        assertEquals(new DicomFacts(IMPLICIT, "DX", "CHEST", "AP", "MONOCHROME1", 4, 4, 16, 12, false, "window"), d.dicom());
    }

    @Test
    void compressedTransferSyntaxesAreRefusedByName() throws Exception {
        // ImageJ 1.54p decodes no compressed transfer syntax, so each is refused naming it
        String[][] cases = {
                {"dcmtk-jpeg-baseline.dcm", "JPEG Baseline, 1.2.840.10008.1.2.4.50"},
                {"dcmtk-jpeg-lossless.dcm", "JPEG Lossless SV1, 1.2.840.10008.1.2.4.70"},
                {"dcmtk-rle.dcm", "RLE Lossless, 1.2.840.10008.1.2.5"},
        };
        for (String[] c : cases) {
            Path p = file(c[0], resource(c[0]));
            BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(p), c[0]);
            assertEquals("compressed DICOM (" + c[1] + ") is not supported", e.getMessage());
            assertThrows(BadInputException.class, () -> ImageReader.header(p));
            assertThrows(BadInputException.class, () -> ImageReader.dicomFacts(p));
        }
        byte[] j2k = DicomWriter.xray(DicomWriter.JPEG_2000, 2, 2, 16, 12, false, "MONOCHROME2")
                .encapsulated(new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}).bytes();
        BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(j2k, "upload"));
        assertEquals("compressed DICOM (JPEG 2000 Lossless, 1.2.840.10008.1.2.4.90) is not supported", e.getMessage());
        byte[] unknown = DicomWriter.xray("1.2.3.4", 2, 2, 16, 12, false, "MONOCHROME2").pixels16(1, 2, 3, 4).bytes();
        e = assertThrows(BadInputException.class, () -> ImageReader.read(unknown, "upload"));
        assertTrue(e.getMessage().contains("1.2.3.4") && e.getMessage().contains("not supported"), e.getMessage());
    }

    @Test
    void detectedByContentWhateverTheName() throws Exception {
        byte[] dcm = ramp(EXPLICIT, "MONOCHROME2");
        GrayImage expected = ImageReader.read(file("x.dcm", dcm));
        for (String name : List.of("scan.png", "scan.jpg", "scan", "SCAN.DCM")) {
            ImageReader.Decoded d = ImageReader.decode(file(name, dcm));
            assertEquals("dicom", d.format(), name);
            assertEquals(expected, d.image(), name);
            assertEquals(new ImageReader.Header(20, 20, "dicom"), ImageReader.header(dir.resolve(name)));
        }
        // a PNG named .dcm is still a PNG, and has no DICOM facts
        BufferedImage bi = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        Path png = dir.resolve("really-png.dcm");
        ImageIO.write(bi, "png", png.toFile());
        assertEquals("png", ImageReader.decode(png).format());
        assertTrue(ImageReader.dicomFacts(png).isEmpty());
        assertEquals("DX", ImageReader.dicomFacts(dir.resolve("scan")).orElseThrow().modality());
    }

    @Test
    void bytesInMemoryDecodeLikeFiles() throws Exception {
        byte[] dcm = ramp(IMPLICIT, "MONOCHROME1");
        assertEquals(ImageReader.read(file("m.dcm", dcm)), ImageReader.read(dcm, "upload.dcm"));
        assertEquals("VOI LUT", ImageReader.dicomFacts(withVoiLut(IMPLICIT, "US", true), "u").orElseThrow().voi());
        assertEquals(new ImageReader.Header(20, 20, "dicom"), ImageReader.header(dcm, "upload"));
        BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(new byte[0], "upload"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void pixelLimitIsCheckedBeforeDecoding() throws Exception {
        // 40000 x 40000 claimed, 8 bytes of pixels: refused on the header, nothing allocated for 1.6 gigapixels
        byte[] huge = DicomWriter.xray(EXPLICIT, 40000, 40000, 16, 12, false, "MONOCHROME2").pixels16(1, 2, 3, 4).bytes();
        Path p = file("huge.dcm", huge);
        for (var call : List.<org.junit.jupiter.api.function.Executable>of(() -> ImageReader.read(p), () -> ImageReader.header(p),
                () -> ImageReader.read(huge, "upload"), () -> ImageReader.dicomFacts(p))) {
            BadInputException e = assertThrows(BadInputException.class, call);
            assertTrue(e.getMessage().contains("40000x40000") && e.getMessage().contains("refused without decoding"), e.getMessage());
        }
        byte[] wide = DicomWriter.xray(EXPLICIT, 2, 65535, 8, 8, false, "MONOCHROME2").pixels8(new byte[4]).bytes();
        assertThrows(BadInputException.class, () -> ImageReader.read(wide, "upload"));
    }

    @Test
    void truncatedFilesGiveAOneLineReasonAndNeverHang() throws Exception {
        // a private OB blob that ImageJ skips: cutting inside it used to make ImageJ's skip loop spin forever
        byte[] full = DicomWriter.xray(EXPLICIT, 20, 20, 16, 12, false, "MONOCHROME2")
                .raw(0x00090010, "LO", "FAKE PRIV ".getBytes(StandardCharsets.US_ASCII))
                .raw(0x00091001, "OB", new byte[3000]).pixels16(outlierRamp()).bytes();
        assertEquals(20, ImageReader.read(full, "whole").width());
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int cut = 1; cut < full.length; cut += cut < 200 ? 1 : 37) {
                byte[] part = Arrays.copyOf(full, cut);
                BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(part, "cut"), "cut at " + cut);
                String m = e.getMessage();
                assertFalse(m.contains("\n") || m.contains("Exception"), m);
                if (cut >= 132) assertTrue(m.contains("truncated"), "cut at " + cut + ": " + m);
            }
        });
        Path p = file("cut.dcm", Arrays.copyOf(full, full.length - 1));
        BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(p));
        assertEquals("truncated DICOM: the pixel data ends after 799 of 800 bytes", e.getMessage());
    }

    @Test
    void unsupportedLayoutsAreRefusedWithAReason() throws Exception {
        String[][] cases = {
                {"RGB", "colour DICOM"},
                {"PALETTE COLOR", "colour DICOM"},
        };
        for (String[] c : cases) {
            byte[] dcm = DicomWriter.xray(EXPLICIT, 2, 2, 16, 12, false, c[0]).pixels16(1, 2, 3, 4).bytes();
            BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(dcm, "x"));
            assertTrue(e.getMessage().startsWith(c[1]), e.getMessage());
        }
        byte[] frames = DicomWriter.xray(EXPLICIT, 2, 2, 16, 12, false, "MONOCHROME2").str(0x00280008, "IS", "3")
                .pixels16(new int[12]).bytes();
        assertEquals("multi-frame DICOM (3 frames) is not supported",
                assertThrows(BadInputException.class, () -> ImageReader.read(frames, "x")).getMessage());
        byte[] bits32 = DicomWriter.xray(EXPLICIT, 1, 1, 32, 32, false, "MONOCHROME2").pixels16(0, 0).bytes();
        assertTrue(assertThrows(BadInputException.class, () -> ImageReader.read(bits32, "x")).getMessage()
                .startsWith("unsupported DICOM pixel layout (Bits Allocated 32"));
        byte[] noPixels = DicomWriter.xray(EXPLICIT, 2, 2, 16, 12, false, "MONOCHROME2").bytes();
        assertTrue(assertThrows(BadInputException.class, () -> ImageReader.read(noPixels, "x")).getMessage().contains("no pixel data"));
        byte[] badSlope = DicomWriter.xray(EXPLICIT, 1, 1, 16, 12, false, "MONOCHROME2").str(SLOPE, "DS", "0").pixels16(1).bytes();
        assertEquals("invalid Rescale Slope in the DICOM header",
                assertThrows(BadInputException.class, () -> ImageReader.read(badSlope, "x")).getMessage());
    }

    @Test
    void decodingInParallelGivesTheSameImages() throws Exception {
        byte[] a = ramp(EXPLICIT, "MONOCHROME2"), b = ramp(IMPLICIT, "MONOCHROME1"), c = withVoiLut(IMPLICIT, "US", true);
        GrayImage ea = ImageReader.read(a, "a"), eb = ImageReader.read(b, "b"), ec = ImageReader.read(c, "c");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                all.add(pool.submit(() -> ImageReader.read(a, "a").equals(ea) && ImageReader.read(b, "b").equals(eb)
                        && ImageReader.read(c, "c").equals(ec)));
            }
            for (Future<Boolean> f : all) assertTrue(f.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The fake identity in every fixture must reach no message, no returned value and nothing written to
     * stdout or stderr, whether the file decodes or is refused.
     */
    @Test
    void patientIdentityNeverLeavesTheReader() throws Exception {
        List<byte[]> inputs = new ArrayList<>(List.of(ramp(EXPLICIT, "MONOCHROME2"), ramp(IMPLICIT, "MONOCHROME1"),
                withVoiLut(IMPLICIT, "US", true), resource("dcmtk-implicit-monochrome1-12bit.dcm"), resource("dcmtk-jpeg-baseline.dcm"),
                resource("dcmtk-rle.dcm"), DicomWriter.xray(EXPLICIT, 40000, 40000, 16, 12, false, "MONOCHROME2").pixels16(1).bytes(),
                DicomWriter.xray(EXPLICIT, 2, 2, 16, 12, false, "RGB").pixels16(1, 2, 3, 4).bytes()));
        // identity elements as the last thing before the end of a cut file, and as lengths that lie
        byte[] full = ramp(EXPLICIT, "MONOCHROME2");
        int at = indexOf(full, PATIENT_NAME.getBytes(StandardCharsets.US_ASCII));
        for (int cut = at - 8; cut < at + 60; cut++) inputs.add(Arrays.copyOf(full, cut));
        byte[] lying = full.clone();
        lying[at - 2] = (byte) 0xF0; // Patient's Name claims 240+ bytes, swallowing the tags after it
        inputs.add(lying);

        List<String> seen = new ArrayList<>();
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        synchronized (System.class) {
            try {
                System.setOut(capture);
                System.setErr(capture);
                for (byte[] in : inputs) {
                    Path p = file("id.dcm", in);
                    for (var call : List.<org.junit.jupiter.api.function.ThrowingSupplier<Object>>of(() -> ImageReader.decode(p),
                            () -> ImageReader.decode(in, "upload"), () -> ImageReader.header(p), () -> ImageReader.dicomFacts(in, "u"))) {
                        try {
                            seen.add(String.valueOf(call.get()));
                        } catch (BadInputException e) {
                            for (Throwable t = e; t != null; t = t.getCause()) seen.add(t.getMessage() + " " + t);
                        } catch (Throwable t) {
                            throw new AssertionError("only BadInputException may escape, got " + t.getClass().getName());
                        }
                    }
                }
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
        }
        seen.add(captured.toString(StandardCharsets.UTF_8));
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "nothing printed while reading");
        String all = String.join("\n", seen);
        for (String secret : List.of(PATIENT_NAME, "Zzfakename", "Qqtestperson", PATIENT_ID, BIRTH_DATE, ACCESSION, "FAKE HOSPITAL")) {
            assertFalse(all.contains(secret), secret + " escaped: " + all);
        }
        assertTrue(all.contains("DX") && all.contains("truncated") && all.contains("compressed"), all); // the calls did run
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
