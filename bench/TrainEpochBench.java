import io.cxr4j.data.Dataset;
import io.cxr4j.data.DatasetReader;
import io.cxr4j.data.Label;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.data.Sample;
import io.cxr4j.engine.Net;
import io.cxr4j.engine.NetSpec;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.image.ImageWriter;
import io.cxr4j.jobs.TrainJob;
import io.cxr4j.prep.Augment;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.prep.MaskPlan;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.segment.MaskCache;
import io.cxr4j.train.ClassifierTrainer;
import io.cxr4j.train.TrainOptions;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * cxr4j's side of bench/train_epoch_bench.sh: one training epoch with the shipped recipe (models/README.md, run a1)
 * through the library's own path, {@link TrainJob#run} (what {@code cxr train} calls), on the films of the split's
 * train and validation parts (all, or an evenly spaced subset for --quick). The peer is bench/train_epoch_peer.py.
 *
 * <pre>
 * java -cp cxr4j.jar:classes TrainEpochBench --data D1,D2 --split-from SPLIT_CSV --segmenter SEG_DIR
 *      [--train-films N] [--val-films M]   0 = all films of the part (default)
 *      --export DIR      write DIR/manifest.json (films, labels, groups, the mask PNG of each mask source: annotation
 *                        masks rasterised into DIR/masks, predicted ones as the path of their mask-cache entry) and
 *                        stop; the peer reads it. Fails when a predicted mask is not cached (it never segments).
 *      --train OUT [--threads 2] [--seed 42] [--engine-threads T]   T: libtorch's intra-op threads (default: --threads)
 *                        train one epoch into OUT and print one JSON line: prepare_s (decode, masks, crops of the train
 *                        and validation films), train_s (the epoch's steps: augmentation, batches, forward/backward,
 *                        AdamW, weight average), val_s (validation), epoch_s (train_s + val_s), the class and source
 *                        weights and the validation figures, all read from the run's own log.
 * </pre>
 */
public final class TrainEpochBench {
    static final int CHECKED_FILMS = 12;
    static final InputRecipe RECIPE = new InputRecipe(InputRecipe.MASKED, recipe(42).imageSize(), recipe(42).margin());

    public static void main(String[] args) throws Exception {
        List<Path> data = new ArrayList<>();
        Path splitFrom = null, segDir = Path.of("models/lung-segmenter"), export = null, out = null;
        int trainFilms = 0, valFilms = 0, threads = 2, engineThreads = 0;
        long seed = TrainOptions.defaults().seed();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> { for (String d : args[++i].split(",")) data.add(Path.of(d)); }
                case "--split-from" -> splitFrom = Path.of(args[++i]);
                case "--segmenter" -> segDir = Path.of(args[++i]);
                case "--train-films" -> trainFilms = Integer.parseInt(args[++i]);
                case "--val-films" -> valFilms = Integer.parseInt(args[++i]);
                case "--export" -> export = Path.of(args[++i]);
                case "--train" -> out = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--engine-threads" -> engineThreads = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> fail("unknown argument " + args[i]);
            }
        }
        if (data.isEmpty() || splitFrom == null || (export == null) == (out == null)) {
            fail("usage: TrainEpochBench --data D1,D2 --split-from CSV [--segmenter DIR] [--train-films N] [--val-films M] (--export DIR | --train OUT)");
        }
        List<Dataset> parts = new ArrayList<>();
        for (Path d : data) parts.add(DatasetReader.scan(d));
        Dataset all = Dataset.combine(parts);
        // the parts as the shipped recipe's run makes them (ClassifierTrainer.train): split.csv's patients keep their
        // part, the others (adult-cxr) are split with the recipe's fractions and seed; the run below gets this whole
        // split as its prior, so a subset keeps the parts the films have in the full run
        TrainOptions opt = recipe(seed);
        PatientSplit prior = PatientSplit.extend(PatientSplit.read(splitFrom), all.withTargets(), opt.valFraction(), opt.testFraction(),
                opt.seed(), Map.of());
        List<Sample> train = spread(prior.select(all.withTargets(), PatientSplit.Part.TRAIN), trainFilms);
        List<Sample> val = spread(prior.select(all.withTargets(), PatientSplit.Part.VAL), valFilms);
        Set<String> keep = new java.util.HashSet<>();
        for (Sample s : train) keep.add(s.file());
        for (Sample s : val) keep.add(s.file());
        List<Sample> chosen = all.samples().stream().filter(s -> keep.contains(s.file())).toList();
        Dataset ds = new Dataset(all.root(), all.layout(), chosen, List.of(), List.of(), Map.of(), all.roots());
        System.err.printf(Locale.ROOT, "films: train %d, val %d (of %d labelled)%n", train.size(), val.size(), all.withTargets().size());

        MaskCache cache = new MaskCache(MaskCache.defaultDir());
        if (export != null) {
            try (LungSegmenter seg = LungSegmenter.load(segDir)) {
                export(export, prior, chosen, cache, seg.id(), threads);
            }
            return;
        }
        if (engineThreads > 0) {
            // start the engine with its own intra-op thread count; the run's later Net.configureThreads(threads)
            // then only sets properties that are read at engine start
            Net.configureThreads(engineThreads);
            Net.create(NetSpec.cxrNet(32, 4, List.of(1), 0, 4), 1).close();
        }
        train(out, ds, prior, splitFrom, segDir, cache, threads, seed);
    }

    /** {@code n} films spread evenly over the list (every source and class keeps its share), or all of them for n = 0. */
    static List<Sample> spread(List<Sample> films, int n) {
        if (n <= 0 || n >= films.size()) return films;
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(films.get((int) ((long) i * films.size() / n)));
        return out;
    }

    /** The shipped recipe (models/README.md, run a1) as TrainCommand builds it, for one epoch. */
    static TrainOptions recipe(long seed) {
        TrainOptions d = TrainOptions.defaults();
        Augment augment = d.augment().withOutlineJitter(0.015).withStyle(0.3);
        // lungs only, as run a1 and the figures in docs/benchmarks.md (the peer ANDs too)
        return d.toBuilder().maskMode("masked").epochs(1).seed(seed).augment(augment).sourceBalanceCap(3).build();
    }

    static void train(Path out, Dataset ds, PatientSplit prior, Path splitFrom, Path segDir, MaskCache cache, int threads, long seed)
            throws Exception {
        if (Files.exists(out)) fail(out + " exists; give a new folder");
        TrainOptions opt = recipe(seed);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(new OutputStream() {
            @Override public void write(int b) { System.err.write(b); captured.write(b); }
            @Override public void write(byte[] b, int off, int len) { System.err.write(b, off, len); captured.write(b, off, len); }
        }, true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        TrainJob.Settings settings = new TrainJob.Settings(out, opt, MaskPlan.Mode.MIXED, MaskSource.AUTO, false, threads, prior,
                splitFrom.toString(), false, Map.of());
        ClassifierTrainer.Outcome o = TrainJob.run(settings, ds, () -> segDir, () -> load(segDir), () -> cache, log);
        double wall = (System.nanoTime() - t0) / 1e9;
        String text = captured.toString(StandardCharsets.UTF_8);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("side", "cxr4j");
        r.put("threads", threads);
        Matcher prep = find(text, "prepared (\\d+) images in ([0-9.]+) s: train (\\d+), val (\\d+)");
        r.put("images", Integer.parseInt(prep.group(1)));
        r.put("train_films", Integer.parseInt(prep.group(3)));
        r.put("val_films", Integer.parseInt(prep.group(4)));
        r.put("prepare_s", Double.parseDouble(prep.group(2)));
        Matcher ep = find(text, "epoch 1/1 .*\\| (\\d+) s \\(train ([0-9.]+) s, (\\d+) steps, validation ([0-9.]+) s\\)");
        double trainS = Double.parseDouble(ep.group(2)), valS = Double.parseDouble(ep.group(4));
        r.put("train_s", trainS);
        r.put("steps", Integer.parseInt(ep.group(3)));
        r.put("val_s", valS);
        r.put("epoch_s", round(trainS + valS));
        r.put("prepare_plus_epoch_s", round(Double.parseDouble(prep.group(2)) + trainS + valS));
        Matcher fig = find(text, "epoch 1/1 .*train loss ([0-9.]+) acc ([0-9.]+) \\| val loss ([0-9.]+) acc ([0-9.]+) macro-F1 ([0-9.]+)");
        r.put("train_loss", Double.parseDouble(fig.group(1)));
        r.put("train_acc", Double.parseDouble(fig.group(2)));
        r.put("val_loss", Double.parseDouble(fig.group(3)));
        r.put("val_acc", Double.parseDouble(fig.group(4)));
        r.put("val_macro_f1", Double.parseDouble(fig.group(5)));
        r.put("class_weights", find(text, "class weights (\\[[^\\]]*\\])").group(1));
        Matcher sw = Pattern.compile("source weights within classes (\\{[^}]*\\})").matcher(text);
        r.put("source_weights", sw.find() ? sw.group(1) : "{}");
        r.put("run_wall_s", round(wall));
        r.put("run_seconds", round(o.seconds()));
        System.out.println(json(r));
    }

    static LungSegmenter load(Path dir) {
        try {
            return LungSegmenter.load(dir);
        } catch (Exception e) {
            throw new IllegalStateException(dir + ": " + e.getMessage(), e);
        }
    }

    /** The peer's inputs: one manifest line per film; annotation masks as PNG; predicted masks where the cache keeps them. */
    static void export(Path dir, PatientSplit prior, List<Sample> films, MaskCache cache, String segId, int threads) throws Exception {
        Path masks = dir.resolve("masks");
        Files.createDirectories(masks);
        String[] lines = new String[films.size()];
        java.util.concurrent.atomic.AtomicInteger missing = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        pool.submit(() -> java.util.stream.IntStream.range(0, films.size()).parallel().forEach(i -> {
            Sample s = films.get(i);
            try {
                List<String> png = new ArrayList<>();
                List<String> names = new ArrayList<>();
                GrayImage img = null;
                if (s.hasMaskSource()) { // mixed: the annotation first, then the predicted mask (MaskPlan.masksFor)
                    img = ImageReader.read(s.image());
                    GrayImage m = MaskSource.AUTO.lungMask(s, img.width(), img.height());
                    Path p = masks.resolve(String.format(Locale.ROOT, "%05d-annotation.png", i));
                    ImageWriter.writePng(m, p);
                    png.add(p.toAbsolutePath().toString());
                    names.add("annotation");
                }
                String key = MaskCache.contentKey(s.image());
                Path entry = cache.dir().resolve(segId).resolve(key.substring(0, 2)).resolve(key + ".png");
                if (!Files.isRegularFile(entry)) {
                    missing.incrementAndGet();
                    System.err.println("no cached predicted mask for " + s.image() + " (" + entry + ")");
                }
                png.add(entry.toAbsolutePath().toString());
                names.add("predicted");
                // the first films also carry checksums of cxr4j's validation input (crop as prediction makes it,
                // z-scored) for each mask, so the peer can show that its port of the input recipe gives the same
                String check = "";
                if (i < CHECKED_FILMS && Files.isRegularFile(entry)) {
                    if (img == null) img = ImageReader.read(s.image());
                    List<String> sums = new ArrayList<>();
                    for (String p : png) {
                        GrayImage m = ImageReader.read(Path.of(p));
                        InputRecipe.Crop c = RECIPE.crop(img, m);
                        float[] x = new float[RECIPE.size() * RECIPE.size()];
                        InputRecipe.normalise(c.image().pixels(), c.region().pixels(), x, 0);
                        double abs = 0, sq = 0;
                        for (float v : x) { abs += Math.abs(v); sq += (double) v * v; }
                        sums.add(String.format(Locale.ROOT, "[%.6f,%.6f]", abs, sq));
                    }
                    check = ",\"check\":[" + String.join(",", sums) + "]";
                }
                String targets = s.targets().stream().map(l -> String.valueOf(l.ordinal())).collect(Collectors.joining(","));
                lines[i] = String.format(Locale.ROOT, "{\"file\":%s,\"image\":%s,\"part\":\"%s\",\"label\":%d,\"targets\":[%s],\"group\":%s,"
                                + "\"masks\":[%s],\"mask_names\":[%s]%s}",
                        q(s.file()), q(s.image().toAbsolutePath().toString()), prior.partOf(s).id(),
                        s.label() == null ? -1 : s.label().ordinal(), targets,
                        q(s.labelOrFinding() + "/" + (s.source() == null ? "unknown" : s.source())),
                        png.stream().map(TrainEpochBench::q).collect(Collectors.joining(",")),
                        names.stream().map(TrainEpochBench::q).collect(Collectors.joining(",")), check);
            } catch (Exception e) {
                throw new IllegalStateException(s.image() + ": " + e.getMessage(), e);
            }
        })).get();
        pool.shutdown();
        if (missing.get() > 0) {
            fail(missing.get() + " films have no cached predicted mask; run `cxr train` (or `cxr evaluate`) over them once first");
        }
        TrainOptions o = recipe(TrainOptions.defaults().seed());
        Augment a = o.augment();
        StringBuilder sb = new StringBuilder();
        sb.append("{\"classes\":[").append(java.util.Arrays.stream(Label.values()).map(l -> q(l.id())).collect(Collectors.joining(",")))
                .append("],\n\"recipe\":").append(String.format(Locale.ROOT,
                        "{\"image_size\":%d,\"margin\":%s,\"batch\":%d,\"lr\":%s,\"warmup_epochs\":%d,\"epochs\":%d,\"weight_decay\":%s,"
                                + "\"label_smoothing\":%s,\"width\":%d,\"blocks\":%s,\"dropout\":%s,\"ema\":%s,\"source_balance\":%s,"
                                + "\"class_weighting\":%s,\"augment\":{\"rotate_deg\":%s,\"scale\":%s,\"shift\":%s,\"brightness\":%s,"
                                + "\"contrast\":%s,\"gamma\":%s,\"outline_jitter\":%s,\"style\":%s}}",
                        o.imageSize(), o.margin(), o.batchSize(), o.learningRate(), o.warmupEpochs(), o.epochs(), o.weightDecay(),
                        o.labelSmoothing(), o.width(), o.blocks(), o.dropout(), o.emaDecay(), o.sourceBalanceCap(),
                        q(o.classWeighting()), a.maxRotateDeg(), a.scaleRange(), a.maxShift(), a.brightness(), a.contrast(), a.gamma(),
                        a.outlineJitter(), a.style()))
                .append(",\n\"films\":[\n").append(String.join(",\n", lines)).append("\n]}\n");
        io.cxr4j.util.AtomicFiles.writeBytes(dir.resolve("manifest.json"), sb.toString().getBytes(StandardCharsets.UTF_8));
        System.err.println("wrote " + dir.resolve("manifest.json") + " (" + films.size() + " films)");
    }

    static Matcher find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) fail("the training log has no line matching /" + regex + "/");
        return m;
    }

    static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static String json(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        for (var e : m.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            sb.append(q(e.getKey())).append(':');
            Object v = e.getValue();
            sb.append(v instanceof Number ? v.toString() : v instanceof String str && (str.startsWith("[") || str.startsWith("{"))
                    ? q(str) : q(String.valueOf(v)));
        }
        return sb.append('}').toString();
    }

    static void fail(String reason) {
        System.err.println("TrainEpochBench: " + reason);
        System.exit(2);
    }
}
