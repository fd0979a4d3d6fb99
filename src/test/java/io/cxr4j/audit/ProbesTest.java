package io.cxr4j.audit;

import io.cxr4j.data.PatientSplit.Part;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.prep.InputRecipe;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Balanced accuracy, the logistic-regression probe and the audit's features, on synthetic data. */
class ProbesTest {
    @Test
    void alwaysTheCommonestClassScoresChanceHoweverUnequalTheClasses() {
        int[] truth = {0, 0, 0, 0, 0, 0, 0, 1, 2, 3};
        int[] commonest = new int[truth.length];
        assertEquals(0.25, BalancedAccuracy.of(truth, commonest, 4), 1e-12);
        assertEquals(0.25, BalancedAccuracy.chance(truth, 4), 1e-12);
        assertEquals(1.0, BalancedAccuracy.of(truth, truth, 4), 1e-12);
        // three classes present: chance is a third
        assertEquals(1 / 3.0, BalancedAccuracy.of(new int[] {0, 1, 1, 2}, new int[] {1, 1, 1, 1}, 4), 1e-12);
        // plain accuracy would be 0.7 here; balanced accuracy is not fooled
        assertEquals(0.25, BalancedAccuracy.of(truth, commonest, 4), 1e-12);
    }

    @Test
    void aProbeOnFeaturesWithoutInformationScoresChance() {
        Random r = new Random(1);
        int n = 400;
        float[][] constant = new float[n][8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 10 < 7 ? 0 : 1 + i % 3; // 70% class 0
        LogisticRegression lr = LogisticRegression.fit(constant, y, 4, 0.01, 200);
        int[] p = lr.predict(constant);
        for (int v : p) assertEquals(p[0], v, "one answer for identical inputs");
        assertEquals(0.25, BalancedAccuracy.of(y, p, 4), 1e-12);
        // pure noise: train on one half, test on the other; near chance
        float[][] noise = new float[2 * n][16];
        int[] yy = new int[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            for (int j = 0; j < 16; j++) noise[i][j] = (float) r.nextGaussian();
            yy[i] = r.nextInt(10) < 7 ? 0 : 1 + r.nextInt(3);
        }
        LogisticRegression nz = LogisticRegression.fit(java.util.Arrays.copyOf(noise, n), java.util.Arrays.copyOf(yy, n), 4, 0.1, 200);
        double ba = BalancedAccuracy.of(java.util.Arrays.copyOfRange(yy, n, 2 * n), nz.predict(java.util.Arrays.copyOfRange(noise, n, 2 * n)), 4);
        assertTrue(Math.abs(ba - 0.25) < 0.08, "noise probe " + ba);
    }

    @Test
    void aProbeFindsInformationWhereThereIs() {
        Random r = new Random(2);
        int n = 600;
        float[][] x = new float[n][10];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(4);
            for (int j = 0; j < 10; j++) x[i][j] = (float) r.nextGaussian();
            x[i][y[i]] += 3; // one informative feature per class, scaled oddly to test the standardisation
            x[i][9] *= 1000;
        }
        LogisticRegression lr = LogisticRegression.fit(java.util.Arrays.copyOf(x, 400), java.util.Arrays.copyOf(y, 400), 4, 0.01, 250);
        double ba = BalancedAccuracy.of(java.util.Arrays.copyOfRange(y, 400, n), lr.predict(java.util.Arrays.copyOfRange(x, 400, n)), 4);
        assertTrue(ba > 0.85, "separable classes: " + ba);
    }

    @Test
    void featuresSeeTheOutlineTheOutsideAndTheInputSeparately() {
        // a 100 x 80 film: lungs a 40 x 40 box of bright texture, a marker in the corner outside them
        GrayImage film = new GrayImage(100, 80), mask = new GrayImage(100, 80);
        Random r = new Random(3);
        for (int y = 20; y < 60; y++) for (int x = 30; x < 70; x++) { mask.set(x, y, 255); film.set(x, y, 100 + r.nextInt(100)); }
        for (int y = 0; y < 5; y++) for (int x = 0; x < 5; x++) film.set(x, y, 255);
        InputRecipe recipe = new InputRecipe(InputRecipe.MASKED, 64, 0.3); // a wide margin: the corner cells are margin only
        ShortcutAudit.Features f = ShortcutAudit.features(film, mask, recipe, 16);
        assertEquals(256, f.outline().length);
        assertEquals(1f, f.outline()[8 * 16 + 8], 1e-6f, "lung at the crop's centre");
        assertEquals(0f, f.outline()[0], 1e-6f, "margin outside the lungs");
        // outside: the lungs are black; the corner marker shows (the film padded to 100 x 100, 10 px top and bottom)
        float centre = f.outside()[8 * 16 + 8];
        assertEquals(0f, centre, 1e-6f);
        assertTrue(f.outside()[16 + 0] > 0.2f, "the marker, near the top-left: " + f.outside()[16]);
        // the input features are the normalised crop: mean about 0 over the lungs
        double s = 0;
        for (float v : f.input()) s += v;
        assertTrue(Math.abs(s / 256) < 0.2, "z-scored: " + s / 256);
        // filled: one grey inside the region, so the z-scored input is all zero
        InputRecipe.Crop filled = ShortcutAudit.filled(recipe.crop(film, mask));
        float[] z = new float[64 * 64];
        InputRecipe.normalise(filled.image().pixels(), filled.region().pixels(), z, 0);
        for (float v : z) assertEquals(0f, v, 0f);
    }

    @Test
    void forAWholeFilmModelTheOutlineIsWhereTheFilmsLungsLieInItsInputSquare() {
        // a 100 x 80 film (padded to 100 x 100, 10 px top and bottom): lungs a 40 x 40 box at x 30-69, y 20-59
        GrayImage film = new GrayImage(100, 80), mask = new GrayImage(100, 80);
        Random r = new Random(5);
        for (int i = 0; i < film.pixels().length; i++) film.pixels()[i] = (byte) (20 + r.nextInt(60));
        for (int y = 20; y < 60; y++) for (int x = 30; x < 70; x++) { mask.set(x, y, 255); film.set(x, y, 150 + r.nextInt(100)); }
        InputRecipe whole = new InputRecipe(InputRecipe.WHOLE, 50, 0.05);
        InputRecipe.Crop crop = whole.crop(film, mask);
        GrayImage lungs = ShortcutAudit.lungsInInput(film, mask, whole, crop);
        assertEquals(50, lungs.width());
        // input pixel (u, v) covers film pixel (2u, 2v - 10): lungs at u 15-34, v 15-34
        assertEquals(255, lungs.get(20, 20));
        assertEquals(0, lungs.get(10, 20));
        assertEquals(0, lungs.get(20, 40));
        int n = 0;
        for (byte b : lungs.pixels()) if (b != 0) n++;
        assertEquals(20 * 20, n, "the 40 x 40 lungs at half scale");
        ShortcutAudit.Features f = ShortcutAudit.features(film, mask, whole, 10);
        assertEquals(1f, f.outline()[5 * 10 + 5], 1e-6f, "lung at the square's centre");
        assertEquals(0f, f.outline()[0], 1e-6f, "padding");
        // filled: the lungs one grey, the film around them unchanged
        InputRecipe.Crop filled = ShortcutAudit.filled(crop, lungs, false);
        assertEquals(128, filled.image().get(20, 20));
        assertEquals(crop.image().get(10, 20), filled.image().get(10, 20));
        assertTrue(crop.image().get(10, 20) > 0, "the film around the lungs is kept");
        // a lung-masked model's filled crop is the outline alone, as before
        InputRecipe masked = new InputRecipe(InputRecipe.MASKED, 50, 0.05);
        InputRecipe.Crop mc = masked.crop(film, mask);
        assertEquals(mc.region(), ShortcutAudit.lungsInInput(film, mask, masked, mc));
    }

    @Test
    void blockAverageKeepsTheMean() {
        float[] x = new float[12 * 12];
        for (int i = 0; i < x.length; i++) x[i] = i % 7;
        float[] a = ShortcutAudit.blockAverage(x, 12, 5); // not a multiple: cells of 2 or 3
        assertEquals(25, a.length);
        float[] b = ShortcutAudit.blockAverage(x, 12, 4);
        double mx = 0, mb = 0;
        for (float v : x) mx += v / x.length;
        for (float v : b) mb += v / b.length;
        assertEquals(mx, mb, 1e-5);
    }

    @Test
    void theAuditsProbesOnSyntheticFilms() {
        // the outline tells the class (lung width), the outside and the input carry nothing; two sources by class parity
        Random r = new Random(4);
        List<ShortcutAudit.Film> films = new ArrayList<>();
        Part[] parts = {Part.TRAIN, Part.TRAIN, Part.TRAIN, Part.VAL, Part.TEST};
        for (int i = 0; i < 500; i++) {
            int label = r.nextInt(4);
            float[] outline = new float[16], outside = new float[16], input = new float[16];
            for (int j = 0; j < 16; j++) {
                outline[j] = j < 4 + 3 * label ? 1 : 0;
                outside[j] = (float) r.nextGaussian();
                input[j] = (float) r.nextGaussian();
            }
            Sample s = new Sample("f" + i, Path.of("f" + i), null, null, null, null, "p" + i, null, label % 2 == 0 ? "even" : "odd", null);
            Part part = parts[i % parts.length];
            films.add(new ShortcutAudit.Film(s, label, part, new ShortcutAudit.Features(outline, outside, input),
                    part == Part.TEST ? label : -1, part == Part.TEST ? 0 : -1));
        }
        List<ShortcutAudit.Probe> probes = ShortcutAudit.run(films, List.of("a", "b", "c", "d"));
        java.util.Map<String, ShortcutAudit.Probe> by = new java.util.HashMap<>();
        for (ShortcutAudit.Probe p : probes) by.put(p.id(), p);
        assertEquals(1.0, by.get("outline_probe").balancedAccuracy(), 1e-9);
        assertEquals(0.25, by.get("outline_classifier").balancedAccuracy(), 1e-9, "one answer for every filled input");
        assertTrue(Math.abs(by.get("outside_lungs_probe").balancedAccuracy() - 0.25) < 0.12, by.get("outside_lungs_probe").toString());
        assertEquals(0.5, by.get("source_from_input_probe").chance(), 1e-9);
        assertEquals(List.of("even", "odd"), by.get("source_from_input_probe").targets());
        assertEquals(1.0, by.get("classifier").balancedAccuracy(), 1e-9);
        assertEquals(300, by.get("outline_probe").trainFilms());
        assertEquals(100, by.get("outline_probe").testFilms());
    }
}
