import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.cxr4j.engine.Net;
import io.cxr4j.engine.NetTrainer;
import io.cxr4j.engine.NetSpec;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Training throughput and single-image predict latency of cxr4j ({@link NetTrainer#step} and
 * {@link Net#forward}) on the masked 224x224 crops; the Python peer is bench/train_peer.py, which
 * must stay in step with this file (same inputs, labels, batches, protocol and JSON fields).
 *
 * <pre>
 * java -cp /tmp/trainbench/cxr4j.jar:/tmp/trainbench/classes TrainBench --images DIR/masked --threads T
 *      [--steps 20] [--calls 100] [--warmup-steps 5] [--warmup-calls 10] [--batch 32] [--seed 7]
 *      [--split 0]        also time S extra steps phase by phase (a replica of NetTrainer.step, see below)
 *      [--dump FILE]      instead of benchmarking: write the parameters and the eval logits of the first
 *                         --dump-n images before and after one training step on batch 0, for train_peer.py --check
 * </pre>
 *
 * Everything that is not the measured call (decoding, normalisation, batch assembly, targets) happens
 * once before the warm-up. Prints one JSON line on stdout; logs go to stderr.
 */
public final class TrainBench {
    static final int SIZE = 224, WIDTH = 16, CLASSES = 4;
    static final List<Integer> BLOCKS = List.of(1, 1, 2, 2);
    static final double DROPOUT = 0.2, WEIGHT_DECAY = 0.05, LR = 1e-3, SMOOTHING = 0.1;

    public static void main(String[] args) throws Exception {
        Path images = null, dump = null;
        int threads = 1, steps = 20, calls = 100, warmSteps = 5, warmCalls = 10, batch = 32, split = 0, dumpN = 4;
        long seed = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--images" -> images = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--warmup-steps" -> warmSteps = Integer.parseInt(args[++i]);
                case "--warmup-calls" -> warmCalls = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--split" -> split = Integer.parseInt(args[++i]);
                case "--dump" -> dump = Path.of(args[++i]);
                case "--dump-n" -> dumpN = Integer.parseInt(args[++i]);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (images == null || threads < 1 || steps < 1 || calls < 1 || batch < 2) usage("bad arguments");

        Net.configureThreads(threads); // before the engine starts

        // ---- inputs (untimed) ----
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted((a, b) -> a.getFileName().toString()
                    .compareTo(b.getFileName().toString())).toList();
        }
        if (files.isEmpty()) throw new IOException("no .png in " + images);
        int nImg = files.size(), px = SIZE * SIZE;
        float[][] norm = new float[nImg][];
        for (int i = 0; i < nImg; i++) norm[i] = normalise(readGrey(files.get(i)));
        int[] labels = labels(nImg, seed);
        double csAbs = 0, cs2 = 0, csW = 0; // input checksums; the peer computes the same three sums
        for (float[] a : norm) {
            for (int i = 0; i < a.length; i++) { csAbs += Math.abs(a[i]); cs2 += (double) a[i] * a[i]; csW += (double) a[i] * (i % 13 + 1); }
        }

        // batches: batch b holds images (b*B + j) mod nImg; the sequence repeats after lcm(nImg, B)/B batches
        int nBatches = lcm(nImg, batch) / batch;
        float[][] bx = new float[nBatches][batch * px];
        float[][] bt = new float[nBatches][batch * CLASSES];
        float[] bw = new float[batch];
        Arrays.fill(bw, 1f);
        for (int b = 0; b < nBatches; b++) {
            for (int j = 0; j < batch; j++) {
                int idx = (b * batch + j) % nImg;
                System.arraycopy(norm[idx], 0, bx[b], j * px, px);
                for (int c = 0; c < CLASSES; c++) {
                    bt[b][j * CLASSES + c] = (float) (SMOOTHING / CLASSES + (c == labels[idx] ? 1 - SMOOTHING : 0));
                }
            }
        }

        NetSpec spec = NetSpec.cxrNet(SIZE, WIDTH, BLOCKS, DROPOUT, CLASSES);
        try (Net net = Net.create(spec, seed)) {
            if (dump != null) {
                dump(net, norm, Math.min(dumpN, nImg), bx[0], bt[0], bw, batch, dump);
                return;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("side", "cxr4j");
            out.put("threads", threads);
            out.put("engine_threads", JniUtils.getNumThreads());
            out.put("engine_interop_threads", JniUtils.getNumInteropThreads());
            out.put("engine", "DJL " + Engine.getDjlVersion() + " / PyTorch " + Engine.getEngine("PyTorch").getVersion());
            out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            out.put("images", nImg);
            out.put("batch", batch);
            out.put("input_checksum", List.of(csAbs, cs2, csW));
            out.put("labels", Arrays.stream(labels).boxed().toList());
            out.put("param_count", net.parameterCount());

            float[] probs = new float[batch * CLASSES];
            double[] stepMs = new double[steps];
            double firstLoss, lastLoss = Double.NaN;
            double trainSec;
            try (NetTrainer trainer = new NetTrainer(net, WEIGHT_DECAY)) {
                trainer.setLearningRate(LR);
                int b = 0;
                firstLoss = Double.NaN;
                for (int i = 0; i < warmSteps; i++, b = (b + 1) % nBatches) {
                    double l = trainer.step(bx[b], batch, bt[b], bw, probs);
                    if (i == 0) firstLoss = l;
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++, b = (b + 1) % nBatches) {
                    long s0 = System.nanoTime();
                    lastLoss = trainer.step(bx[b], batch, bt[b], bw, probs);
                    stepMs[i] = (System.nanoTime() - s0) / 1e6;
                }
                trainSec = (System.nanoTime() - t0) / 1e9;
                if (split > 0) out.put("split_ms", split(net, trainer, bx, bt, bw, batch, split, b));
            }
            out.put("warmup_steps", warmSteps);
            out.put("steps", steps);
            out.put("train_images_per_s", round(steps * (double) batch / trainSec, 3));
            out.put("step_ms_mean", round(mean(stepMs), 3));
            out.put("step_ms_p50", round(pct(stepMs, 50), 3));
            out.put("loss_first_warmup", round(firstLoss, 5));
            out.put("loss_last", round(lastLoss, 5));

            // ---- predict: batch of 1, eval mode (Net.forward runs with training=false, autograd off) ----
            double[] lat = new double[calls];
            float sink = 0;
            for (int i = 0; i < warmCalls; i++) sink += net.forward(norm[i % nImg], 1)[0];
            for (int i = 0; i < calls; i++) {
                float[] x = norm[i % nImg];
                long s0 = System.nanoTime();
                float[] logits = net.forward(x, 1);
                lat[i] = (System.nanoTime() - s0) / 1e6;
                sink += logits[0];
            }
            out.put("warmup_calls", warmCalls);
            out.put("calls", calls);
            out.put("predict_ms_p50", round(pct(lat, 50), 3));
            out.put("predict_ms_p95", round(pct(lat, 95), 3));
            out.put("predict_ms_mean", round(mean(lat), 3));
            out.put("predict_ms_min", round(Arrays.stream(lat).min().orElse(0), 3));
            out.put("sink", Float.isFinite(sink));
            System.out.println(json(out));
        }
    }

    /**
     * Per-phase timing of S further steps, done by a replica of {@link NetTrainer#step} (same calls, in the
     * same order) on the NetTrainer's own DJL Trainer, reached by reflection. Not part of the throughput
     * numbers; compare its "total" with step_ms_mean to see that the replica costs the same. Phases: prep = copy
     * the float[] inputs into NDArrays; forward_loss (includes the gradient zeroing of newGradientCollector);
     * backward; loss_read_probs = loss.getFloat() and the softmax copy-out; optimizer = Trainer.step (AdamW).
     */
    static Map<String, Object> split(Net net, NetTrainer nt, float[][] bx, float[][] bt, float[] bw, int n, int steps, int b0) {
        Map<String, Object> r = new LinkedHashMap<>();
        Trainer trainer;
        try {
            Field f = NetTrainer.class.getDeclaredField("trainer");
            f.setAccessible(true);
            trainer = (Trainer) f.get(nt);
        } catch (ReflectiveOperationException | RuntimeException e) {
            r.put("unavailable", "NetTrainer has no field 'trainer' any more: " + e);
            return r;
        }
        int k = CLASSES;
        Shape xs = new Shape(n, 1, SIZE, SIZE);
        String[] names = {"prep", "forward_loss", "backward", "loss_read_probs", "optimizer", "total"};
        double[][] t = new double[names.length][steps];
        float[] probs = new float[n * k];
        for (int i = 0, b = b0; i < steps; i++, b = (b + 1) % bx.length) {
            long a0 = System.nanoTime(), a1, a2, a3, a4, a5;
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray xa = m.create(bx[b], xs);
                NDArray ta = m.create(bt[b], new Shape(n, k));
                NDArray wa = m.create(bw, new Shape(n));
                a1 = System.nanoTime();
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(xa)).singletonOrThrow();
                    NDArray logp = logits.logSoftmax(1);
                    NDArray loss = logp.mul(ta).sum(new int[] {1}).neg().mul(wa).sum().div(wa.sum());
                    a2 = System.nanoTime();
                    gc.backward(loss);
                    a3 = System.nanoTime();
                    loss.getFloat();
                    System.arraycopy(logp.exp().toFloatArray(), 0, probs, 0, n * k);
                }
                a4 = System.nanoTime();
                trainer.step();
            }
            a5 = System.nanoTime();
            long[] marks = {a0, a1, a2, a3, a4, a5};
            for (int p = 0; p < 5; p++) t[p][i] = (marks[p + 1] - marks[p]) / 1e6;
            t[5][i] = (a5 - a0) / 1e6;
        }
        r.put("steps", steps);
        for (int p = 0; p < names.length; p++) r.put(names[p], round(mean(t[p]), 3));
        return r;
    }

    /**
     * For the peer's architecture check (train_peer.py --check): writes two snapshots, each = every parameter in
     * DJL's order (name, shape, big-endian float32) followed by the eval logits of the first n images: the freshly
     * initialised network, then the network after one NetTrainer step on batch 0 (running statistics updated).
     */
    static void dump(Net net, float[][] norm, int n, float[] x0, float[] t0, float[] w, int batch, Path file) throws Exception {
        Field f = Net.class.getDeclaredField("model");
        f.setAccessible(true);
        Model model = (Model) f.get(net);
        float[] x = new float[n * SIZE * SIZE];
        for (int i = 0; i < n; i++) System.arraycopy(norm[i], 0, x, i * SIZE * SIZE, SIZE * SIZE);
        try (NetTrainer trainer = new NetTrainer(net, WEIGHT_DECAY);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            trainer.setLearningRate(LR);
            out.writeInt(n);
            out.writeInt(CLASSES);
            out.writeInt(batch);
            snapshot(model, net.forward(x, n), out);
            double loss = trainer.step(x0, batch, t0, w, null);
            snapshot(model, net.forward(x, n), out);
            System.err.printf(Locale.ROOT, "wrote 2 snapshots of %d values and %d x %d logits (step loss %.5f) to %s%n",
                    net.parameterCount(), n, CLASSES, loss, file);
        }
    }

    static void snapshot(Model model, float[] logits, DataOutputStream out) throws IOException {
        writeParameters(model, out);
        for (float v : logits) out.writeFloat(v);
    }

    /**
     * The network's parameters in the order the block lists them: a count, then per array its name, rank, shape and
     * values (what bench/train_peer.py's loader reads; bench/ModelDump.java writes the same). Returns the count.
     */
    static int writeParameters(Model model, DataOutputStream out) throws IOException {
        List<Pair<String, Parameter>> params = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) params.add(p);
        out.writeInt(params.size());
        for (Pair<String, Parameter> p : params) {
            NDArray a = p.getValue().getArray();
            out.writeUTF(p.getKey());
            long[] shape = a.getShape().getShape();
            out.writeInt(shape.length);
            for (long d : shape) out.writeInt((int) d);
            for (float v : a.toFloatArray()) out.writeFloat(v);
        }
        return params.size();
    }

    static int[] readGrey(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) throw new IOException("cannot decode " + p);
        Raster r = img.getRaster();
        if (img.getWidth() != SIZE || img.getHeight() != SIZE || r.getNumBands() != 1) {
            throw new IOException(p + ": expected 8-bit grey " + SIZE + "x" + SIZE + ", got " + img.getWidth() + "x"
                    + img.getHeight() + " with " + r.getNumBands() + " bands");
        }
        return r.getSamples(0, 0, SIZE, SIZE, 0, new int[SIZE * SIZE]);
    }

    /** z-score over the non-zero pixels (the lung region), 0 elsewhere; same formula as cxr4j's InputRecipe.normalise. */
    static float[] normalise(int[] v) {
        double s = 0, s2 = 0;
        int n = 0;
        for (int a : v) if (a != 0) { s += a; s2 += (double) a * a; n++; }
        float[] out = new float[v.length];
        if (n == 0) return out;
        double mean = s / n;
        double std = Math.max(Math.sqrt(Math.max(s2 / n - mean * mean, 1e-6)), 1.0);
        for (int i = 0; i < v.length; i++) out[i] = v[i] == 0 ? 0f : (float) ((v[i] - mean) / std);
        return out;
    }

    /** Random labels fixed by the seed: a 64-bit LCG (Knuth's MMIX constants), label = (x >>> 33) mod classes. */
    static int[] labels(int n, long seed) {
        int[] l = new int[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            l[i] = (int) ((x >>> 33) % CLASSES);
        }
        return l;
    }

    /** Nearest-rank percentile (the same definition as the peer). */
    static double pct(double[] a, double p) {
        double[] s = a.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    static double mean(double[] a) { return Arrays.stream(a).average().orElse(Double.NaN); }

    static double round(double v, int d) {
        if (!Double.isFinite(v)) return v;
        double f = Math.pow(10, d);
        return Math.round(v * f) / f;
    }

    static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) { int t = x % y; x = y; y = t; }
        return a / x * b;
    }

    static String json(Object o) {
        if (o == null) return "null";
        if (o instanceof String s) return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        if (o instanceof Double d) return Double.isFinite(d) ? String.valueOf(d) : "null";
        if (o instanceof Number || o instanceof Boolean) return String.valueOf(o);
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            for (var e : m.entrySet()) {
                if (sb.length() > 1) sb.append(',');
                sb.append(json(String.valueOf(e.getKey()))).append(':').append(json(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (Object v : l) {
                if (sb.length() > 1) sb.append(',');
                sb.append(json(v));
            }
            return sb.append(']').toString();
        }
        return json(String.valueOf(o));
    }

    static void usage(String why) {
        System.err.println(why + "\nusage: TrainBench --images DIR --threads T [--steps N] [--calls M] [--warmup-steps 5] "
                + "[--warmup-calls 10] [--batch 32] [--seed 7] [--split S] [--dump FILE [--dump-n 4]]");
        System.exit(2);
    }
}
