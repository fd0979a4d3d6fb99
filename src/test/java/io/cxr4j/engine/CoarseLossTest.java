package io.cxr4j.engine;

import io.cxr4j.engine.NetSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coarse-label loss: -log of the summed probability of the classes a film may belong to. */
class CoarseLossTest {
    static final int K = 4, S = 32;

    static float[] batch(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * S * S];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    static NetSpec spec() {
        return NetSpec.cxrNet(S, 16, List.of(1, 1), 0.0, K); // width 16: narrower nets give NaN gradients on 2 libtorch threads here
    }

    @Test
    void setLossIsMinusLogOfTheSummedProbabilityOfTheSet() {
        int n = 4;
        float[] x = batch(n, 1);
        // sample 0: class 1; sample 1: classes {0, 2} (coarse); sample 2: class 3; sample 3: classes {0, 2}
        float[] targets = new float[n * K], setMask = new float[n * K], setWeight = new float[n], w = {1f, 2f, 1f, 0.5f};
        targets[1] = 1;
        targets[2 * K + 3] = 1;
        for (int i : new int[] {1, 3}) {
            setMask[i * K] = 1;
            setMask[i * K + 2] = 1;
            setWeight[i] = 1;
        }
        try (Net net = Net.create(spec(), 7); NetTrainer t = new NetTrainer(net, 0)) {
            t.setLearningRate(0);
            float[] p = new float[n * K];
            double loss = t.step(x, n, targets, setMask, setWeight, w, p);
            double expected = 0, wSum = 0;
            for (int i = 0; i < n; i++) {
                double l = 0;
                for (int c = 0; c < K; c++) l -= targets[i * K + c] * Math.log(p[i * K + c]);
                if (setWeight[i] > 0) l -= Math.log(p[i * K] + p[i * K + 2]);
                expected += w[i] * l;
                wSum += w[i];
            }
            assertEquals(expected / wSum, loss, 1e-4);
        }
    }

    @Test
    void aOneClassSetWithSmoothingEqualsTheSmoothedSoftTarget() {
        int n = 3;
        double eps = 0.1;
        float[] x = batch(n, 2);
        int[] y = {0, 2, 3};
        float[] soft = new float[n * K], uniform = new float[n * K], setMask = new float[n * K], setWeight = new float[n], w = {1, 1, 1};
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < K; c++) {
                soft[i * K + c] = (float) (eps / K + (c == y[i] ? 1 - eps : 0));
                uniform[i * K + c] = (float) (eps / K);
            }
            setMask[i * K + y[i]] = 1;
            setWeight[i] = (float) (1 - eps);
        }
        double a, b;
        try (Net net = Net.create(spec(), 3); NetTrainer t = new NetTrainer(net, 0)) {
            t.setLearningRate(0);
            a = t.step(x, n, soft, w, null);
        }
        try (Net net = Net.create(spec(), 3); NetTrainer t = new NetTrainer(net, 0)) {
            t.setLearningRate(0);
            b = t.step(x, n, uniform, setMask, setWeight, w, null);
        }
        assertEquals(a, b, 1e-4);
    }
}
