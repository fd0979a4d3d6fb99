package io.cxr4j.train;

import io.cxr4j.eval.History;
import io.cxr4j.prep.Augment;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.data.PatientSplit.Part;
import io.cxr4j.data.Sample;
import io.cxr4j.engine.Net;
import io.cxr4j.engine.NetTrainer;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.model.ModelCard;
import io.cxr4j.engine.NetSpec;
import io.cxr4j.model.Provenance;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.segment.SegInput;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trains the lung segmenter (U-Net) on the lung masks of a dataset (Ignore regions are not lung):
 * the same patient-level splitter and seed as the classifier (so its test patients are the
 * classifier's), BCE + Dice loss, geometric and intensity augmentation, weight averaging, per-epoch
 * checkpoints and resume; the weights with the best validation Dice are kept.
 */
public final class SegmenterTrainer {
    public static final String BEST = "best.params";

    /** Settings of a segmenter run, stored in the checkpoint. */
    public record Options(int epochs, int imageSize, long seed, int width, int levels, int batchSize, double learningRate,
                          double weightDecay, int warmupEpochs, double valFraction, double testFraction, Augment augment,
                          double emaDecay, Long initSeed) {
        public static Options defaults() {
            // the shipped models/lung-segmenter: 20 epochs of a 16-channel, 5-level U-Net (77 min on 2 cores)
            return new Options(20, 256, 42, 16, 5, 16, 3e-3, 1e-4, 1, 0.15, 0.15,
                    new Augment(10, 0.10, 0.06, 0.15, 0.2, 0.25), 0.998, null);
        }

        public Options withEpochs(int e) {
            return new Options(e, imageSize, seed, width, levels, batchSize, learningRate, weightDecay, warmupEpochs, valFraction,
                    testFraction, augment, emaDecay, initSeed);
        }

        /**
         * Seed of the initial weights and of the order and augmentation of training images; {@link #seed} alone
         * fixes the split. Two runs that differ only here are two members of an ensemble on the same split.
         */
        public long weightSeed() {
            return initSeed == null ? seed : initSeed;
        }
    }

    public record State(Options options, String dataset, int epoch, String params, double bestDice, int bestEpoch,
                        List<History> history, double secondsSoFar, String startedAt) {}

    record Item(Sample sample, byte[] image, byte[] area, byte[] mask) {}

    public record Outcome(double valDice, int bestEpoch, int epochsRun, double seconds) {}

    private final Path dir;
    private final PrintStream log;
    private final int threads;

    public SegmenterTrainer(Path dir, PrintStream log, int threads) {
        this.dir = dir;
        this.log = log;
        this.threads = threads;
    }

    /** The parts of the samples: the classifier's splitter over labelled images; unlabelled ones train. */
    public static Map<String, Part> split(List<Sample> samples, double val, double test, long seed) {
        List<Sample> labelled = samples.stream().filter(s -> s.label() != null).toList();
        PatientSplit ps = PatientSplit.create(labelled, val, test, seed, Map.of());
        Map<String, Part> m = new LinkedHashMap<>();
        for (Sample s : samples) m.put(s.file(), s.label() == null ? Part.TRAIN : ps.partOf(s));
        return m;
    }

    public Outcome train(Dataset ds, Options opt, boolean resume) throws IOException, BadInputException {
        Files.createDirectories(dir);
        Path ck = dir.resolve(ClassifierTrainer.CHECKPOINT_DIR);
        State state = Checkpoints.stateToResume(dir, resume, State.class);
        if (state != null) {
            opt = state.options().withEpochs(opt.epochs());
            log("resuming after epoch " + state.epoch());
        }
        Net.configureThreads(threads);
        int s = opt.imageSize();
        List<Sample> samples = ds.samples().stream().filter(Sample::hasMaskSource).toList();
        long noMask = ds.samples().size() - samples.size();
        if (noMask > 0) log(noMask + " films without lung polygons or masks left out (a segmenter learns from reference masks)");
        Map<String, Part> parts = split(samples, opt.valFraction(), opt.testFraction(), opt.seed());
        if (!resume) {
            StringBuilder csv = new StringBuilder("# seed=" + opt.seed() + "\nfile,label,patient_id,split\n");
            for (Sample x : samples) csv.append(io.cxr4j.data.Csv.line(x.file(), x.labelOrFinding(), x.patientId(), parts.get(x.file()).id()));
            AtomicFiles.writeString(dir.resolve("split.csv"), csv.toString());
        }
        long t0 = System.nanoTime();
        Map<String, Item> cache = new ConcurrentHashMap<>();
        List<Batch.Failure> failures = Batch.run(samples, threads, Sample::image, Progress.forStderr("prepare", samples.size()), x -> {
            GrayImage img = ImageReader.read(x.image());
            GrayImage lung = MaskSource.AUTO.lungMask(x, img.width(), img.height());
            cache.put(x.file(), new Item(x, SegInput.image(img, s).pixels(), SegInput.area(img.width(), img.height(), s).pixels(),
                    SegInput.mask(lung, s).pixels()));
        });
        for (Batch.Failure f : failures) log("skipped " + f);
        List<Item> train = new ArrayList<>(), val = new ArrayList<>();
        for (Sample x : samples) {
            Item it = cache.get(x.file());
            if (it == null) continue;
            if (parts.get(x.file()) == Part.TRAIN) train.add(it);
            else if (parts.get(x.file()) == Part.VAL) val.add(it);
        }
        if (train.isEmpty() || val.isEmpty()) throw new BadInputException("too few usable images for a train/validation split");
        log(String.format(Locale.ROOT, "prepared %d images in %.1f s: train %d, val %d (test patients left out)", cache.size(),
                (System.nanoTime() - t0) / 1e9, train.size(), val.size()));

        NetSpec spec = NetSpec.unet(s, opt.width(), opt.levels());
        Net net = Checkpoints.startOrRestore(ck, state == null ? null : state.params(), spec, opt.weightSeed(), opt.emaDecay());
        log(String.format(Locale.ROOT, "network %s, %d parameters", spec, net.parameterCount()));
        TrainingLoop.Start start = state == null ? TrainingLoop.Start.fresh()
                : new TrainingLoop.Start(state.epoch() + 1, state.history(), state.bestDice(), state.bestEpoch());
        double before = state == null ? 0 : state.secondsSoFar();
        String startedAt = state == null ? Instant.now().toString() : state.startedAt();
        long runStart = System.nanoTime();
        final Options o = opt;
        List<TrainingListener> listeners = List.of(
                new TrainingListeners.WeightAverage(),
                new TrainingListeners.BestWeights(ck.resolve(BEST)),
                new TrainingListeners.Logging(log),
                new TrainingListeners.Checkpointing(ck, (params, e) -> new State(o, ds.root().toString(), e.epoch(), params, e.best(),
                        e.bestEpoch(), e.allHistory(), before + (System.nanoTime() - runStart) / 1e9, startedAt)),
                new TrainingListeners.Curves(dir.resolve("training_curves.png"), "train Dice", "val Dice"));
        TrainingLoop.Settings settings = new TrainingLoop.Settings(opt.epochs(), opt.batchSize(), opt.learningRate(), opt.warmupEpochs(),
                opt.weightSeed());
        TrainingLoop.Result result;
        try (NetTrainer trainer = new NetTrainer(net, opt.weightDecay())) {
            trainer.setEmaDecay(opt.emaDecay());
            result = new TrainingLoop<>(settings, new Task(opt, val), listeners).run(net, trainer, train, start);
        } finally {
            net.close();
        }
        double best = result.best();
        int bestEpoch = result.bestEpoch(), epochsRun = result.epochsRun();
        double seconds = before + (System.nanoTime() - runStart) / 1e9;
        AtomicFiles.write(dir.resolve("segmenter.params"), out -> Files.copy(ck.resolve(BEST), out));
        new ModelCard(ModelCard.FORMAT, "segmentation", io.cxr4j.util.Version.get(), spec, List.of("lung"),
                new InputRecipe(InputRecipe.WHOLE, s, 0),
                "whole image padded to a square and resized; per-image z-score over the image area, 0 on padding; "
                        + "output: lung logit per pixel, resized back to the image's size, thresholded at 0.5, post-processed",
                List.of("segmenter.params"), 0, ModelCard.DISCLAIMER).write(dir);
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("val_mean_dice_at_input_size", best);
        vm.put("best_epoch", bestEpoch);
        AtomicFiles.writeBytes(dir.resolve("val_metrics.json"), ClassifierTrainer.JSON.writeValueAsBytes(vm));
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("dataset", ds.root().toAbsolutePath().normalize().toString());
        prov.put("datasets", ds.roots().stream().map(r -> r.toAbsolutePath().normalize().toString()).toList());
        prov.put("dataset_hash", Provenance.datasetHash(ds));
        prov.put("counts", Map.of("train", train.size(), "val", val.size(), "skipped", failures.size()));
        prov.put("split", Map.of("file", "split.csv", "seed", opt.seed(), "val", opt.valFraction(), "test", opt.testFraction(),
                "unit", "patient", "note", "same splitter and seed as the classifier: its test patients are the classifier's"));
        prov.put("seed", opt.seed());
        prov.put("options", opt);
        Provenance.finishAndWrite(dir, prov, bestEpoch, epochsRun, seconds, startedAt);
        log(String.format(Locale.ROOT, "best epoch %d: val Dice %.4f (at %d px)", bestEpoch, best, s));
        return new Outcome(best, bestEpoch, epochsRun, seconds);
    }

    /** The segmenter's part of the training loop: BCE + Dice on augmented images and masks; Dice on validation. */
    private record Task(Options opt, List<Item> val) implements TrainingLoop.Task<Item> {
        @Override
        public String metricName() {
            return "dice";
        }

        @Override
        public TrainingLoop.Inputs prepare(List<Item> batch, Random rnd) {
            int n = batch.size(), s = opt.imageSize();
            float[] x = new float[n * s * s], y = new float[n * s * s];
            byte[] ai = new byte[s * s], aa = new byte[s * s], am = new byte[s * s];
            for (int i = 0; i < n; i++) {
                Item it = batch.get(i);
                opt.augment().apply(it.image(), it.area(), it.mask(), s, rnd, ai, aa, am);
                InputRecipe.normalise(ai, aa, x, i * s * s);
                for (int k = 0; k < s * s; k++) y[i * s * s + k] = am[k] != 0 ? 1f : 0f;
            }
            return trainer -> {
                float[] probs = new float[n * s * s];
                double loss = trainer.stepSegmentation(x, n, y, probs);
                double[] dice = new double[n];
                for (int i = 0; i < n; i++) dice[i] = dice(probs, y, i * s * s, s * s);
                return new TrainingLoop.Step(loss, dice);
            };
        }

        @Override
        public TrainingLoop.Validation validate(Net net) {
            double d = meanDice(net, val, opt.imageSize());
            return new TrainingLoop.Validation(d, Double.NaN, d, d);
        }

        @Override
        public String describe(History h, TrainingLoop.Validation v) {
            return String.format(Locale.ROOT, "train loss %.4f dice %.4f | val dice %.4f", h.trainLoss(), h.trainAccuracy(), v.score());
        }
    }

    static double dice(float[] p, float[] t, int off, int len) {
        double inter = 0, sp = 0, st = 0;
        for (int i = off; i < off + len; i++) {
            boolean a = p[i] >= 0.5f, b = t[i] >= 0.5f;
            if (a && b) inter++;
            if (a) sp++;
            if (b) st++;
        }
        return sp + st == 0 ? 1 : 2 * inter / (sp + st);
    }

    static double meanDice(Net net, List<Item> items, int s) {
        double sum = 0;
        int bs = 16;
        for (int from = 0; from < items.size(); from += bs) {
            int n = Math.min(bs, items.size() - from);
            float[] x = new float[n * s * s], y = new float[n * s * s];
            for (int i = 0; i < n; i++) {
                Item it = items.get(from + i);
                InputRecipe.normalise(it.image(), it.area(), x, i * s * s);
                for (int k = 0; k < s * s; k++) y[i * s * s + k] = it.mask()[k] != 0 ? 1f : 0f;
            }
            float[] z = net.forward(x, n);
            for (int i = 0; i < z.length; i++) z[i] = z[i] >= 0 ? 1f : 0f;
            for (int i = 0; i < n; i++) sum += dice(z, y, i * s * s, s * s);
        }
        return sum / items.size();
    }

    private void log(String line) {
        log.println(line);
        log.flush();
    }
}
