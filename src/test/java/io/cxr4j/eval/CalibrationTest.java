package io.cxr4j.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Temperature scaling on synthetic logits whose true temperature is known. */
class CalibrationTest {
    /** Logits of an over-confident model: truth drawn from softmax(z / trueT). */
    static void synthetic(double trueT, int n, long seed, List<float[][]> logits, List<Set<Integer>> truth, int[] labels) {
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            float[] z = new float[4];
            for (int c = 0; c < 4; c++) z[c] = (float) (r.nextGaussian() * 4);
            float[] p = Softmax.of(new float[] {(float) (z[0] / trueT), (float) (z[1] / trueT), (float) (z[2] / trueT), (float) (z[3] / trueT)}, 0, 4);
            double u = r.nextDouble(), acc = 0;
            int y = 3;
            for (int c = 0; c < 4; c++) {
                acc += p[c];
                if (u < acc) { y = c; break; }
            }
            logits.add(new float[][] {z});
            truth.add(Set.of(y));
            labels[i] = y;
        }
    }

    @Test
    void recoversTheTemperatureAndLowersEceWithoutChangingTheArgmax() {
        int n = 6000;
        List<float[][]> logits = new ArrayList<>();
        List<Set<Integer>> truth = new ArrayList<>();
        int[] y = new int[n];
        synthetic(2.5, n, 1, logits, truth, y);
        double t = Calibration.fit(logits, truth);
        assertEquals(2.5, t, 0.2);
        assertTrue(Calibration.nll(logits, truth, t) < Calibration.nll(logits, truth, 1.0));
        float[][] before = new float[n][], after = new float[n][];
        for (int i = 0; i < n; i++) {
            before[i] = Calibration.probabilities(logits.get(i), 1.0);
            after[i] = Calibration.probabilities(logits.get(i), t);
            assertEquals(Metrics.argmax(before[i]), Metrics.argmax(after[i]), "a temperature never changes the first class");
        }
        double eceBefore = Metrics.ece(y, before, 15), eceAfter = Metrics.ece(y, after, 15);
        assertTrue(eceAfter < 0.03 && eceAfter < eceBefore / 3, "ECE " + eceBefore + " -> " + eceAfter);
    }

    @Test
    void aWellCalibratedModelKeepsTemperatureNearOne() {
        List<float[][]> logits = new ArrayList<>();
        List<Set<Integer>> truth = new ArrayList<>();
        synthetic(1.0, 6000, 2, logits, truth, new int[6000]);
        assertEquals(1.0, Calibration.fit(logits, truth), 0.08);
    }

    @Test
    void coarseTruthScoresTheSummedProbability() {
        List<float[][]> logits = new ArrayList<>();
        logits.add(new float[][] {{0f, 0f, 0f, 0f}});
        assertEquals(-Math.log(0.5), Calibration.nll(logits, List.of(Set.of(0, 2)), 1.0), 1e-6);
        assertEquals(-Math.log(0.25), Calibration.nll(logits, List.of(Set.of(3)), 1.0), 1e-6);
    }
}
