package io.cxr4j.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Grad-CAM through the engine's gradients against the closed form for a global-average-pool + linear head,
 * where the gradient of logit c at every position of channel k is W[c][k] / (H W): the two must agree.
 */
class GradCamTest {
    @Test
    void gradientMapEqualsTheClosedFormForAPoolAndLinearHead() {
        NetSpec spec = NetSpec.cxrNet(64, 8, List.of(1, 1, 1, 1), 0.2, 4);
        try (Net net = Net.create(spec, 7)) {
            Random r = new Random(3);
            float[] x = new float[64 * 64];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float[] logits = net.forward(x, 1);
            float[] feat = net.features(x);
            float[][] w = net.headWeights();
            int k = w[0].length, side = 64 / 16;
            assertEquals(k * side * side, feat.length);
            for (int c = 0; c < 4; c++) {
                Net.GradCam g = net.gradCam(x, c);
                assertEquals(side, g.side());
                assertEquals(c, g.cls());
                assertArrayEquals(logits, g.logits(), 1e-4f, "the head sees the same features as forward");
                float[] expect = new float[side * side];
                for (int p = 0; p < expect.length; p++) {
                    double s = 0;
                    for (int ch = 0; ch < k; ch++) s += w[c][ch] / (side * side) * feat[ch * side * side + p];
                    expect[p] = (float) Math.max(0, s);
                }
                assertArrayEquals(expect, g.map(), 1e-5f, "class " + c);
            }
            // -1 explains the highest logit; repeated calls leave the network unchanged
            int best = 0;
            for (int c = 1; c < 4; c++) if (logits[c] > logits[best]) best = c;
            assertEquals(best, net.gradCam(x, -1).cls());
            assertArrayEquals(logits, net.forward(x, 1), 1e-6f);
            assertArrayEquals(net.gradCam(x, 1).map(), net.gradCam(x, 1).map(), 0f, "no gradient carried over between calls");
        }
    }

    @Test
    void aSegmenterHasNoGradCam() {
        try (Net net = Net.create(NetSpec.unet(32, 4, 2), 1)) {
            assertThrows(IllegalArgumentException.class, () -> net.gradCam(new float[32 * 32], 0));
        }
    }

    @Test
    void theMapIsNonNegativeAndNotAllZeroForSomeClass() {
        try (Net net = Net.create(NetSpec.cxrNet(64, 8, List.of(1, 1, 1, 1), 0, 4), 11)) {
            float[] x = new float[64 * 64];
            for (int i = 0; i < x.length; i++) x[i] = (i % 64) < 32 ? 1f : -1f;
            double total = 0;
            for (int c = 0; c < 4; c++) {
                for (float v : net.gradCam(x, c).map()) {
                    assertTrue(v >= 0);
                    total += v;
                }
            }
            assertTrue(total > 0);
        }
    }
}
