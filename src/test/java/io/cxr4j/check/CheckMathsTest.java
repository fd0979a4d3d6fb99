package io.cxr4j.check;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.synth.Negatives;
import io.cxr4j.synth.Phantoms;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The input check's pure parts: turns and inversion, the image statistics and the lung-shape rule. */
class CheckMathsTest {
    static GrayImage ramp(int w, int h) {
        byte[] p = new byte[w * h];
        for (int i = 0; i < p.length; i++) p[i] = (byte) ((i * 7) % 251);
        return new GrayImage(w, h, p);
    }

    @Test
    void turnsAndInversionUndoThemselves() {
        GrayImage g = ramp(5, 3);
        GrayImage q = Orientation.turnClockwise(g, 1);
        assertEquals(3, q.width());
        assertEquals(5, q.height());
        // clockwise: the top-left pixel goes to the top-right corner
        assertEquals(g.get(0, 0), q.get(q.width() - 1, 0));
        assertEquals(g.get(0, g.height() - 1), q.get(0, 0));
        for (CheckKind k : CheckKind.values()) {
            if (!k.correctable()) continue;
            GrayImage seen = Orientation.view(g, k);
            assertFalse(java.util.Arrays.equals(g.pixels(), seen.pixels()) && seen.width() == g.width(), k + " changes the film");
            GrayImage back = Orientation.correct(seen, k);
            assertEquals(g.width(), back.width());
            assertArrayEquals(g.pixels(), back.pixels(), k.id);
            assertNotNull(Orientation.correctionNote(k));
        }
        assertArrayEquals(g.pixels(), Orientation.turnClockwise(Orientation.turnClockwise(g, 2), 2).pixels());
        assertEquals(255 - g.get(1, 1), Orientation.invert(g).get(1, 1));
    }

    @Test
    void statisticsRefuseBlankNoiseColourGraphicsAndTinyImagesButNotAFilmLikePicture() {
        ImageStats.Limits l = ImageStats.Limits.DEFAULT;
        byte[] flat = new byte[300 * 300];
        java.util.Arrays.fill(flat, (byte) 128);
        assertTrue(ImageStats.measure(new GrayImage(300, 300, flat), 0).reason(l).startsWith("blank"));
        byte[] noise = new byte[300 * 300];
        new Random(1).nextBytes(noise);
        ImageStats ns = ImageStats.measure(new GrayImage(300, 300, noise), 0);
        assertTrue(ns.neighbourCorr() < 0.4, "white noise has nearly unrelated neighbours (after the 256 px resize): " + ns.neighbourCorr());
        assertTrue(ns.reason(l).startsWith("noise"));
        assertTrue(ImageStats.measure(ramp(40, 40), 0).reason(l).startsWith("too small"));
        BufferedImage photo = Negatives.colour("landscape", 400, 300, 3);
        double colour = ImageReader.colourfulness(photo);
        assertTrue(colour > 20, "a colourful picture: " + colour);
        assertTrue(ImageStats.measure(ImageReader.toGray(photo), colour).reason(l).contains("colour"));
        GrayImage doc = Negatives.grey("document", 400, 500, 4);
        assertTrue(ImageStats.measure(doc, 0).reason(l).contains("not a radiograph"), "a document is mostly one grey level");
        GrayImage film = Phantoms.generate(io.cxr4j.data.Label.HEALTHY, 256, new Random(5)).image();
        ImageStats fs = ImageStats.measure(film, 0);
        assertNull(fs.reason(l), "a film-like phantom passes the statistics: " + fs);
        assertTrue(fs.neighbourCorr() > 0.8);
    }

    static GrayImage blobs(int w, int h, int[][] centres, int r) {
        GrayImage m = new GrayImage(w, h);
        for (int[] c : centres) {
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
                if ((x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]) <= r * r) m.set(x, y, 255);
            }
        }
        return m;
    }

    @Test
    void lungShapeWantsTwoFieldsEitherSideOfTheMiddle() {
        LungShape.Limits l = LungShape.Limits.DEFAULT;
        LungShape two = LungShape.of(blobs(200, 200, new int[][] {{60, 100}, {140, 100}}, 30));
        assertTrue(two.sidesApart());
        assertNull(two.reason(l), two.toString());
        assertNotNull(LungShape.of(blobs(200, 200, new int[][] {{60, 100}}, 40)).reason(l), "one lung");
        assertNotNull(LungShape.of(blobs(200, 200, new int[][] {{40, 60}, {40, 150}}, 30)).reason(l), "two fields on one side");
        assertTrue(LungShape.of(new GrayImage(200, 200)).reason(l).startsWith("lungs not found"));
        assertNotNull(LungShape.of(blobs(200, 200, new int[][] {{100, 100}}, 150)).reason(l), "the whole picture");
    }
}
