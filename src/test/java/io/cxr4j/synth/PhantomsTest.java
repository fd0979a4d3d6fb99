package io.cxr4j.synth;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.DatasetReader;
import io.cxr4j.data.Label;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.mask.MaskOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhantomsTest {
    @TempDir
    Path dir;

    @Test
    void writesADarwinDatasetThatReadsBackBalancedAndConsistent() throws Exception {
        Phantoms.writeDataset(dir, 24, 128, 3);
        assertTrue(Files.readString(dir.resolve("README.txt")).contains("SYNTHETIC"));
        Dataset ds = DatasetReader.scan(dir);
        assertTrue(ds.problems().isEmpty(), ds.problems().toString());
        assertEquals(24, ds.labelled().size());
        Map<Label, Integer> c = new EnumMap<>(Label.class);
        for (Sample s : ds.labelled()) c.merge(s.label(), 1, Integer::sum);
        for (Label l : Label.values()) assertTrue(c.get(l) >= 4, l + " " + c);
        for (Sample s : ds.samples()) {
            GrayImage img = ImageReader.read(s.image());
            GrayImage a = MaskSource.ANNOTATION.lungMask(s, img.width(), img.height());
            GrayImage m = MaskSource.MASK.lungMask(s, img.width(), img.height());
            assertEquals(1.0, MaskOps.iou(a, m), 1e-9, s.file());
            double frac = MaskOps.count(a) / (double) (img.width() * img.height());
            assertTrue(frac > 0.1 && frac < 0.5, "lung fraction " + frac);
        }
        assertTrue(ds.disagreements().isEmpty());
    }

    @Test
    void deterministicForASeed() {
        GrayImage a = Phantoms.generate(Label.COVID19, 64, new Random(5)).image();
        GrayImage b = Phantoms.generate(Label.COVID19, 64, new Random(5)).image();
        assertArrayEquals(a.pixels(), b.pixels());
    }

    @Test
    void classesDifferInsideTheLungs() {
        // mean lung brightness: consolidation (bacterial) and streaks (viral) are brighter than healthy lungs
        double healthy = 0, bacterial = 0, viral = 0;
        for (int i = 0; i < 10; i++) {
            healthy += lungMean(Phantoms.generate(Label.HEALTHY, 128, new Random(i)));
            bacterial += lungMean(Phantoms.generate(Label.BACTERIAL_PNEUMONIA, 128, new Random(i)));
            viral += lungMean(Phantoms.generate(Label.VIRAL_PNEUMONIA, 128, new Random(i)));
        }
        assertTrue(bacterial > healthy + 20, bacterial + " vs " + healthy);
        assertTrue(viral > healthy + 50, viral + " vs " + healthy);
    }

    private static double lungMean(Phantoms.Phantom p) {
        GrayImage m = io.cxr4j.mask.LungMasks.lungOnly(io.cxr4j.mask.LungMasks.semantic(128, 128, p.regions()));
        double s = 0;
        int n = 0;
        for (int i = 0; i < m.pixels().length; i++) if (m.pixels()[i] != 0) { s += p.image().pixels()[i] & 0xFF; n++; }
        return s / n;
    }
}
