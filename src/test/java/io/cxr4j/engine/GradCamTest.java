package io.cxr4j.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Net#forwardExplained}'s closed-form maps against Grad-CAM computed here the textbook way, through the
 * engine's gradients (the gradient of a class's logit with respect to the last stage's feature map, averaged over
 * each channel's positions, weights that channel; ReLU of the weighted sum): the two must agree, and the logits
 * must be {@link Net#forward}'s.
 */
class GradCamTest {
    /** Grad-CAM by back-propagation from class {@code cls}'s logit to the last stage's features. */
    private static float[] gradientCam(Net net, float[] x, int cls) {
        List<Block> children = net.layers();
        try (NDManager m = net.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray features = net.stages(m, ps, x).stopGradient();
            features.setRequiresGradient(true);
            NDArray grad;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList h = new NDList(features);
                for (int i = net.featureLayers(); i < children.size(); i++) h = children.get(i).forward(ps, h, false);
                gc.backward(h.singletonOrThrow().get(0, cls));
                grad = features.getGradient().duplicate();
            }
            NDArray weights = grad.mean(new int[] {3}, true).mean(new int[] {2}, true);
            return features.stopGradient().mul(weights).sum(new int[] {1}).maximum(0f).toFloatArray();
        }
    }

    @Test
    void onePassGivesForwardsLogitsAndTheGradientMapOfEveryClass() {
        NetSpec spec = NetSpec.cxrNet(64, 8, List.of(1, 1, 1, 1), 0.2, 4);
        try (Net net = Net.create(spec, 7)) {
            Random r = new Random(3);
            float[] x = new float[64 * 64];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float[] logits = net.forward(x, 1);
            Net.Explained e = net.forwardExplained(x);
            int side = 64 / 16;
            assertEquals(side, e.side());
            assertEquals(4 * side * side, e.maps().length);
            assertArrayEquals(logits, e.logits(), 0f, "the same pass as forward");
            double total = 0;
            for (int c = 0; c < 4; c++) {
                float[] ref = gradientCam(net, x, c);
                float[] map = e.map(c);
                for (float v : ref) total += v;
                assertArrayEquals(ref, map, 1e-5f * Math.max(1f, max(ref)), "class " + c);
            }
            assertTrue(total > 0, "some class has heat");
            assertArrayEquals(logits, net.forward(x, 1), 0f, "the network is unchanged");
        }
    }

    private static float max(float[] v) {
        float m = 0;
        for (float f : v) m = Math.max(m, Math.abs(f));
        return m;
    }

    @Test
    void aSegmenterHasNoHeatMap() {
        try (Net net = Net.create(NetSpec.unet(32, 4, 2), 1)) {
            assertThrows(IllegalArgumentException.class, () -> net.forwardExplained(new float[32 * 32]));
        }
    }

    @Test
    void theMapsAreNonNegativeAndNotAllZeroForSomeClass() {
        try (Net net = Net.create(NetSpec.cxrNet(64, 8, List.of(1, 1, 1, 1), 0, 4), 11)) {
            float[] x = new float[64 * 64];
            for (int i = 0; i < x.length; i++) x[i] = (i % 64) < 32 ? 1f : -1f;
            double total = 0;
            for (float v : net.forwardExplained(x).maps()) {
                assertTrue(v >= 0);
                total += v;
            }
            assertTrue(total > 0);
        }
    }
}
