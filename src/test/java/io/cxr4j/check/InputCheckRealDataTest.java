package io.cxr4j.check;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.synth.Negatives;
import io.cxr4j.testutil.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped input check on real films from ../shared and on pictures that are not films. */
class InputCheckRealDataTest {
    static InputCheck check;

    @BeforeAll
    static void load() throws Exception {
        check = InputCheck.load(Path.of("models/input-check"));
    }

    @AfterAll
    static void close() {
        if (check != null) check.close();
    }

    static List<Path> files(Path dir, int n) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().matches(".*\\.(jpe?g|png)$")).sorted().limit(n).toList();
        }
    }

    @Test
    void realFrontalFilmsAreAcceptedAndTheirTurnedOrInvertedCopiesCorrected() throws Exception {
        int accepted = 0, corrected = 0, n = 0;
        for (Path f : files(TestData.mini().resolve("images"), 12)) {
            ImageReader.Decoded d = ImageReader.decode(f);
            Verdict v = check.check(d.image(), d.dicom(), d.colourfulness());
            n++;
            if (v.accepted() && v.corrections().isEmpty()) accepted++;
            for (CheckKind k : List.of(CheckKind.TURNED_90, CheckKind.TURNED_180, CheckKind.INVERTED)) {
                Verdict w = check.check(Orientation.view(d.image(), k), null, d.colourfulness());
                assertFalse(w.accepted() && w.corrections().isEmpty(), f + " " + k.id + " accepted as it was");
                if (w.accepted()) {
                    GrayImage fixed = w.image();
                    assertTrue(java.util.Arrays.equals(fixed.pixels(), d.image().pixels()), f + " " + k.id + " corrected to the wrong orientation");
                    assertTrue(w.corrections().get(0).contains(k == CheckKind.INVERTED ? "inverted" : "turned"), w.corrections().toString());
                    corrected++;
                } else {
                    assertEquals(k.reason, w.reason(), "refused with the kind's reason");
                }
            }
        }
        assertTrue(accepted >= n - 1, accepted + " of " + n + " frontal films accepted");
        assertTrue(corrected >= 3 * n - 3, corrected + " of " + 3 * n + " turned or inverted films corrected");
    }

    @Test
    void lateralFilmsAndCtSlicesAreRefusedWithTheirReason() throws Exception {
        Path dir = TestData.notFrontal().resolve("images");
        int refused = 0, n = 0;
        for (Path f : files(dir, 50)) {
            ImageReader.Decoded d = ImageReader.decode(f);
            Verdict v = check.check(d.image(), d.dicom(), d.colourfulness());
            n++;
            if (!v.accepted()) {
                refused++;
                assertFalse(v.reason().isBlank());
            }
        }
        assertTrue(refused >= 0.9 * n, refused + " of " + n + " not-frontal images refused");
    }

    @Test
    void picturesThatAreNotFilmsAreRefusedAsNotARadiograph() throws Exception {
        for (String kind : List.of("document", "screenshot", "landscape", "chart", "white-noise", "flat")) {
            byte[] png = CheckEvaluator.png(Negatives.colour(kind, 500, 400, 11));
            ImageReader.Decoded d = ImageReader.decode(png, kind);
            Verdict v = check.check(d.image(), d.dicom(), d.colourfulness());
            assertFalse(v.accepted(), kind + " accepted");
        }
    }
}
