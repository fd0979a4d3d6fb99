package io.cxr4j.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.cxr4j.engine.NetSpec;
import io.cxr4j.util.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network and its parameters behind a plain-array interface: inputs are {@code float[]} batches in
 * NCHW order, outputs are {@code float[]}. This package is the only place that knows the deep-learning
 * engine (DJL with PyTorch); every NDArray lives in a per-call sub-manager so nothing leaks.
 */
public final class Net implements AutoCloseable {
    static {
        System.setProperty("ai.djl.offline", "true");
    }

    private final NetSpec spec;
    private final Model model;
    private final NDManager manager;

    private Net(NetSpec spec, Model model) {
        this.spec = spec;
        this.model = model;
        this.manager = model.getNDManager();
    }

    /** Sets the engine's intra-op threads; call before the first network is created. */
    public static void configureThreads(int threads) {
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** A new network with freshly initialised parameters (deterministic for a seed). */
    public static Net create(NetSpec spec, long seed) {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        Model model = Model.newInstance("cxr4j-" + spec.kind(), Device.cpu(), "PyTorch");
        Block block = Blocks.build(spec);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(spec, 1));
        return new Net(spec, model);
    }

    /** Rebuilds the network from its spec and loads parameters saved by {@link #save}. */
    public static Net load(NetSpec spec, Path params) throws IOException {
        Net net = create(spec, 0);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params), 1 << 16))) {
            net.model.getBlock().loadParameters(net.manager, in);
        } catch (MalformedModelException | RuntimeException e) {
            net.close();
            throw new IOException("cannot load parameters from " + params + ": " + e.getMessage(), e);
        }
        return net;
    }

    static Shape inputShape(NetSpec spec, int n) {
        return new Shape(n, spec.inChannels(), spec.inputSize(), spec.inputSize());
    }

    public NetSpec spec() { return spec; }

    Model model() { return model; }

    NDManager manager() { return manager; }

    /** Writes the parameters atomically (a crash never leaves a half-written file). */
    public void save(Path params) throws IOException {
        AtomicFiles.write(params, out -> model.getBlock().saveParameters(new DataOutputStream(out)));
    }

    /** Number of trainable values. */
    public long parameterCount() {
        long n = 0;
        for (var p : model.getBlock().getParameters()) n += p.getValue().getArray().size();
        return n;
    }

    /**
     * Inference on {@code n} inputs ({@code n * C * S * S} floats). Returns the raw outputs (logits for a
     * classifier, {@code n * outputs * S * S} for a segmenter).
     */
    public float[] forward(float[] batch, int n) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(batch, inputShape(spec, n));
            ParameterStore ps = new ParameterStore(m, false);
            NDList out = model.getBlock().forward(ps, new NDList(x), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    /**
     * One input's logits and, from the same pass, where the network looked for every class: Grad-CAM on the last
     * residual stage, in its closed form. The cxrnet's head is global average pooling, dropout (identity at
     * inference) and a linear layer, so the gradient of class c's logit at every position of channel k is
     * {@code W[c][k] / (H W)}: Grad-CAM's channel weights are the head's weights over the map's area, and the map for
     * class c is {@code ReLU(sum_k W[c][k] A_k / (H W))}, with {@code A} the last stage's feature map. No backward
     * pass and no second run of the stages: the prediction's own features give the maps (the test checks them
     * against Grad-CAM through the engine's gradients).
     *
     * <p>For one input ({@code C * S * S} floats); the maps are {@code outputs x side x side} (row-major, input
     * orientation, unnormalised), {@code side} = the input size / 16 for four stages. Callers serialise as for
     * {@link #forward}.
     */
    public Explained forwardExplained(float[] input) {
        if (!"cxrnet".equals(spec.kind())) throw new IllegalArgumentException("heat maps need a cxrnet classifier, not " + spec.kind());
        java.util.List<Block> children = layers();
        try (NDManager m = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray features = stages(m, ps, input); // (1, K, H, W)
            NDList h = new NDList(features);
            for (int i = featureLayers(); i < children.size(); i++) h = children.get(i).forward(ps, h, false);
            float[] logits = h.singletonOrThrow().toFloatArray();
            long k = features.getShape().get(1);
            int side = (int) features.getShape().get(2);
            NDArray w = children.get(children.size() - 1).getParameters().get("weight").getArray(); // (outputs, K)
            NDArray maps = w.matMul(features.reshape(k, (long) side * side)).div((float) side * side).maximum(0f);
            return new Explained(logits, maps.toFloatArray(), side);
        }
    }

    /**
     * An input's logits and, for every class, its Grad-CAM map: {@code logits.length} maps of {@code side x side}
     * non-negative values one after the other.
     */
    public record Explained(float[] logits, float[] maps, int side) {
        /** Class {@code c}'s map ({@code side x side}, row-major). */
        public float[] map(int c) {
            int n = side * side;
            return java.util.Arrays.copyOfRange(maps, c * n, c * n + n);
        }
    }

    /** The cxrnet's layers in order: stem conv, batch norm, ReLU, the residual blocks, then the head. */
    java.util.List<Block> layers() {
        return ((ai.djl.nn.SequentialBlock) model.getBlock()).getChildren().values();
    }

    /** How many of {@link #layers()} make the feature extractor (stem and residual stages). */
    int featureLayers() {
        return 3 + spec.blocks().stream().mapToInt(Integer::intValue).sum();
    }

    /** One input through the stem and the residual stages (inference mode, arrays in {@code m}). */
    NDArray stages(NDManager m, ParameterStore ps, float[] input) {
        NDList a = new NDList(m.create(input, inputShape(spec, 1)));
        java.util.List<Block> children = layers();
        for (int i = 0; i < featureLayers(); i++) a = children.get(i).forward(ps, a, false);
        return a.singletonOrThrow();
    }

    // ---- exponential moving average of the parameters (and batch-norm statistics) ----
    private java.util.List<NDArray> ema;
    private java.util.List<NDArray> backup;
    private long emaUpdates;

    private java.util.List<NDArray> arrays() {
        java.util.List<NDArray> out = new java.util.ArrayList<>();
        for (var p : model.getBlock().getParameters().values()) out.add(p.getArray());
        return out;
    }

    /** Starts keeping an average of the weights, updated by {@link #updateEma}. */
    public void enableEma() {
        ema = new java.util.ArrayList<>();
        for (NDArray a : arrays()) {
            NDArray c = a.duplicate();
            c.attach(manager);
            ema.add(c);
        }
        emaUpdates = 0;
    }

    public boolean hasEma() { return ema != null; }

    /** ema = d * ema + (1 - d) * weights, with d ramping up to {@code decay} over the first steps. */
    public void updateEma(double decay) {
        if (ema == null) return;
        emaUpdates++;
        float d = (float) Math.min(decay, (1.0 + emaUpdates) / (10.0 + emaUpdates));
        java.util.List<NDArray> cur = arrays();
        try (NDManager m = manager.newSubManager()) {
            for (int i = 0; i < cur.size(); i++) {
                NDArray e = ema.get(i);
                NDArray w = cur.get(i);
                NDArray scaled = w.mul(1 - d);
                scaled.attach(m);
                e.muli(d).addi(scaled);
            }
        }
    }

    /** Puts the averaged weights in place ({@code true}) or restores the trained ones ({@code false}). */
    public void useEma(boolean on) {
        if (ema == null) return;
        java.util.List<NDArray> cur = arrays();
        if (on) {
            if (backup != null) return;
            backup = new java.util.ArrayList<>();
            for (int i = 0; i < cur.size(); i++) {
                NDArray b = cur.get(i).duplicate();
                b.attach(manager);
                backup.add(b);
                ema.get(i).copyTo(cur.get(i));
            }
        } else if (backup != null) {
            for (int i = 0; i < cur.size(); i++) {
                backup.get(i).copyTo(cur.get(i));
                backup.get(i).close();
            }
            backup = null;
        }
    }

    /** Saves the averaged weights (in the same format as {@link #save}). */
    public void saveEma(Path params) throws IOException {
        useEma(true);
        try {
            save(params);
        } finally {
            useEma(false);
        }
    }

    /** Loads averaged weights saved by {@link #saveEma} into the average (the trained weights stay). */
    public void loadEma(Path params) throws IOException {
        try (Net other = load(spec, params)) {
            java.util.List<NDArray> src = other.arrays();
            enableEma();
            for (int i = 0; i < src.size(); i++) src.get(i).copyTo(ema.get(i));
            emaUpdates = 1_000_000;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
