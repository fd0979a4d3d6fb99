package io.cxr4j.train;

import io.cxr4j.eval.History;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.Label;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.data.PatientSplit.Part;
import io.cxr4j.data.Sample;
import io.cxr4j.engine.Net;
import io.cxr4j.engine.NetTrainer;
import io.cxr4j.eval.Metrics;
import io.cxr4j.eval.MetricsJson;
import io.cxr4j.eval.Softmax;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.model.ModelCard;
import io.cxr4j.engine.NetSpec;
import io.cxr4j.model.Provenance;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.prep.MaskPlan;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trains the four-class classifier: patient-level split, lung-masked crops, weighted soft-target
 * cross-entropy with label smoothing, AdamW with warm-up and cosine decay, augmentation, early
 * stopping on validation macro F1, a checkpoint after every epoch (resumable), and at the end the best
 * model with its metrics, curves, model.json and provenance.json. The test part is only evaluated once,
 * after training; it never influences a decision.
 */
public final class ClassifierTrainer {
    public static final String CHECKPOINT_DIR = "checkpoint";
    public static final String STATE = Checkpoints.STATE;
    public static final String BEST = "best.params";
    static final ObjectMapper JSON = ModelCard.json();

    private final Path modelDir;
    private final PrintStream log;
    private final int threads;
    private final java.util.function.Function<Sample, List<MaskPlan.Named>> masks;
    private final String maskName;
    private PatientSplit splitFrom;
    private String splitFromName;
    private boolean splitByImage;

    public ClassifierTrainer(Path modelDir, PrintStream log, int threads, MaskSource maskSource) {
        this(modelDir, log, threads, MaskPlan.annotationOnly(io.cxr4j.prep.MaskProvider.of(maskSource)), annotationMasksName(maskSource));
    }

    /** Masks as {@code plan} says (annotation, predicted or both per sample). */
    public ClassifierTrainer(Path modelDir, PrintStream log, int threads, MaskPlan plan, String maskName) {
        this(modelDir, log, threads, plan::masksFor, maskName);
    }

    private ClassifierTrainer(Path modelDir, PrintStream log, int threads,
                              java.util.function.Function<Sample, List<MaskPlan.Named>> masks, String maskName) {
        this.modelDir = modelDir;
        this.log = log;
        this.threads = threads;
        this.masks = masks;
        this.maskName = maskName;
    }

    private final Map<String, Object> extraProvenance = new LinkedHashMap<>();

    /** Adds a field to provenance.json (e.g. the films a quality filter left out). */
    public ClassifierTrainer provenance(String key, Object value) {
        extraProvenance.put(key, value);
        return this;
    }

    /**
     * Keep the parts of an earlier split (e.g. the shipped models' split.csv) for the patients it has, and
     * split only the others, so figures stay comparable on the same test patients.
     */
    public ClassifierTrainer splitFrom(PatientSplit prior, String name) {
        this.splitFrom = prior;
        this.splitFromName = name;
        return this;
    }

    /**
     * Take the earlier split image by image instead of patient by patient (see {@link PatientSplit#byImage}):
     * only to measure the original work's leak.
     */
    public ClassifierTrainer splitByImage(boolean on) {
        this.splitByImage = on;
        return this;
    }

    /** How annotation masks are named in provenance: "annotation (auto)", "annotation (mask)", ... */
    public static String annotationMasksName(MaskSource source) {
        return "annotation (" + source.name().toLowerCase(Locale.ROOT) + ")";
    }

    /** @param maskName how the masks were made, for provenance ("annotation", "predicted by SEG_DIR") */
    public ClassifierTrainer(Path modelDir, PrintStream log, int threads, io.cxr4j.prep.MaskProvider masks, String maskName) {
        this(modelDir, log, threads, List.of(masks), maskName);
    }

    /**
     * Trains on several mask sources at once ("mixed" masks): each training step takes one of a sample's
     * masks at random, and validation scores every sample once per source, so the chosen epoch is the one
     * that works best across them.
     */
    public ClassifierTrainer(Path modelDir, PrintStream log, int threads, List<io.cxr4j.prep.MaskProvider> masks, String maskName) {
        this(modelDir, log, threads, allOf(masks), maskName);
    }

    private static java.util.function.Function<Sample, List<MaskPlan.Named>> allOf(List<io.cxr4j.prep.MaskProvider> masks) {
        if (masks.isEmpty()) throw new IllegalArgumentException("no mask source");
        List<MaskPlan.Named> named = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) named.add(new MaskPlan.Named(masks.size() == 1 ? "mask" : "mask" + (i + 1), masks.get(i)));
        List<MaskPlan.Named> fixed = List.copyOf(named);
        return s -> fixed;
    }

    /** Checkpoint state: written atomically after each epoch's parameters. */
    public record State(TrainOptions options, String dataset, int member, int epoch, String params, double bestF1, int bestEpoch,
                        List<History> history, double secondsSoFar, String startedAt) {}

    /**
     * A prepared split item: cached input crops (one per mask source) and label index, or -1 for the
     * coarse pneumonia label (bacterial or viral, type unknown).
     */
    record Item(Sample sample, List<InputRecipe.Crop> crops, int label) {
        Item(Sample sample, InputRecipe.Crop crop, int label) {
            this(sample, List.of(crop), label);
        }

        boolean coarse() { return label < 0; }

        /** Whether calling class {@code c} is right: the label, or one of the coarse label's classes. */
        boolean allows(int c) {
            return coarse() ? sample.targets().contains(Label.values()[c]) : c == label;
        }

        InputRecipe.Crop crop() {
            return crops.get(0);
        }

        /** The crop a training step uses: the only one, or one of several at random. */
        InputRecipe.Crop pick(Random rnd) {
            return crops.size() == 1 ? crops.get(0) : crops.get(rnd.nextInt(crops.size()));
        }
    }

    /** One single-crop item per crop, so evaluation scores a sample once for each mask source. */
    static List<Item> perCrop(List<Item> items) {
        if (items.stream().allMatch(it -> it.crops().size() == 1)) return items;
        List<Item> out = new ArrayList<>();
        for (Item it : items) for (InputRecipe.Crop c : it.crops()) out.add(new Item(it.sample(), c, it.label()));
        return out;
    }

    public record Outcome(Metrics.Result validation, Metrics.Result test, int bestEpoch, int epochsRun, double seconds) {}

    public Outcome train(Dataset ds, TrainOptions opt, boolean resume) throws IOException, BadInputException {
        Files.createDirectories(modelDir);
        Path ckDir = modelDir.resolve(CHECKPOINT_DIR);
        State state = Checkpoints.stateToResume(modelDir, resume, State.class);
        if (state != null) {
            opt = state.options().epochs() == opt.epochs() ? state.options() : state.options().withEpochs(opt.epochs());
            log(state.params() == null ? "resuming with ensemble member " + (state.member() + 1)
                    : "resuming after epoch " + state.epoch() + (state.member() > 0 ? " of member " + (state.member() + 1) : "")
                    + " (best macro F1 " + fmt(state.bestF1()) + " at epoch " + state.bestEpoch() + ")");
        }
        Net.configureThreads(threads);
        InputRecipe recipe = new InputRecipe(opt.maskMode(), opt.imageSize(), opt.margin());
        List<String> classes = Arrays.stream(Label.values()).map(Label::id).toList();
        int k = classes.size();

        // split (re-read on resume so the parts never change); the coarse "pneumonia" label counts as a target
        List<Sample> labelled = ds.withTargets();
        Path splitCsv = modelDir.resolve("split.csv");
        boolean splitExists = resume && Files.exists(splitCsv);
        PatientSplit split = splitExists ? PatientSplit.read(splitCsv)
                : splitFrom != null && splitByImage ? PatientSplit.byImage(splitFrom, labelled, opt.valFraction(), opt.testFraction(), opt.seed())
                : splitFrom != null ? PatientSplit.extend(splitFrom, labelled, opt.valFraction(), opt.testFraction(), opt.seed(), Map.of())
                : PatientSplit.create(labelled, opt.valFraction(), opt.testFraction(), opt.seed(), Map.of());
        int coarseLabel = -1;

        // decode, mask and crop everything once
        long t0 = System.nanoTime();
        Map<String, Item> items = new ConcurrentHashMap<>();
        Map<String, String> maskUsed = new ConcurrentHashMap<>();
        Progress prep = Progress.forStderr("prepare", labelled.size());
        // outline jitter grows the region, so training crops keep the pixels around the lungs; validation and
        // test crops are made as prediction makes them (AND, then resize)
        boolean jitter = opt.augment().outlineJitter() > 0;
        List<Batch.Failure> failures = Batch.run(labelled, threads, Sample::image, prep, s -> {
            if (split.partOf(s) == null) return; // not in the split (e.g. added to the dataset after a resumed run began)
            GrayImage img = ImageReader.read(s.image());
            List<InputRecipe.Crop> crops = new ArrayList<>();
            List<String> names = new ArrayList<>();
            if (!recipe.usesMask()) {
                crops.add(recipe.crop(img, null));
                names.add("none (whole image)");
            } else {
                boolean keep = jitter && split.partOf(s) == Part.TRAIN;
                for (MaskPlan.Named mp : masks.apply(s)) {
                    GrayImage lung = mp.provider().lungMask(s, img);
                    crops.add(keep ? recipe.cropKeepingSurroundings(img, lung) : recipe.crop(img, lung));
                    names.add(mp.name());
                }
            }
            maskUsed.put(s.file(), String.join("+", names));
            items.put(s.file(), new Item(s, crops, s.label() == null ? coarseLabel : s.label().ordinal()));
        });
        for (Batch.Failure f : failures) log("skipped " + f);
        // the split, with the mask each image used (written again on resume: same parts, same masks)
        split.write(splitCsv, labelled, maskUsed);
        List<Item> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
        for (Sample s : labelled) {
            Item it = items.get(s.file());
            if (it == null) continue;
            Part p = split.partOf(s);
            if (p == Part.TRAIN) train.add(it); else if (p == Part.VAL) val.add(it); else if (p == Part.TEST) test.add(it);
        }
        if (train.isEmpty() || val.isEmpty()) throw new BadInputException("too few usable images for a train/validation split");
        List<Item> valScored = perCrop(val); // each validation image once per mask source
        log(String.format(Locale.ROOT, "prepared %d images in %.1f s: train %d, val %d, test %d (%d skipped; %d with the coarse pneumonia label)",
                items.size(), (System.nanoTime() - t0) / 1e9, train.size(), val.size(), test.size(), failures.size(),
                items.values().stream().filter(Item::coarse).count()));

        float[] classWeight = classWeights(train, k, opt.classWeighting());
        log("class weights " + Arrays.toString(classWeight));
        Map<String, Float> sourceFactor = sourceFactors(train, opt.sourceBalanceCap());
        if (!sourceFactor.isEmpty()) log("source weights within classes " + sourceFactor);

        NetSpec spec = NetSpec.cxrNet(opt.imageSize(), opt.width(), opt.blocks(), opt.dropout(), k);
        String startedAt = state == null ? Instant.now().toString() : state.startedAt();
        double secondsBefore = state == null ? 0 : state.secondsSoFar();
        long runStart = System.nanoTime();
        int members = Math.max(1, opt.members());
        int firstMember = state == null ? 0 : state.member();
        int bestEpoch = 0, epochsRun = 0;
        for (int m = firstMember; m < members; m++) {
            // a state without parameters marks a member that has not started yet
            State resumeFrom = state != null && m == state.member() && state.params() != null ? state : null;
            if (members > 1) log("ensemble member " + (m + 1) + " of " + members + " (seed " + (opt.seed() + m) + ")");
            int[] r = trainMember(m, resumeFrom, ds, opt, spec, recipe, classes, classWeight, sourceFactor, train, valScored, ckDir,
                    startedAt, secondsBefore, runStart);
            bestEpoch = r[0];
            epochsRun = r[1];
        }
        double seconds = secondsBefore + (System.nanoTime() - runStart) / 1e9;

        // final: the members' best weights, averaged as an ensemble, on validation and, once, on test
        List<String> memberFiles = new ArrayList<>();
        List<Net> nets = new ArrayList<>();
        Metrics.Result valM, testM = null;
        try {
            for (int m = 0; m < members; m++) {
                String name = members == 1 ? "classifier.params" : String.format(Locale.ROOT, "classifier-%d.params", m);
                Path best = ckDir.resolve(bestName(m));
                AtomicFiles.write(modelDir.resolve(name), o -> Files.copy(best, o));
                memberFiles.add(name);
                nets.add(Net.load(spec, best));
            }
            valM = evaluate(nets, valScored, recipe, classes, classWeight, 0).metrics;
            if (!test.isEmpty()) testM = evaluate(nets, perCrop(test), recipe, classes, classWeight, 0).metrics;
        } finally {
            for (Net n : nets) n.close();
        }
        ModelCard card = new ModelCard(ModelCard.FORMAT, "classification", io.cxr4j.util.Version.get(), spec, classes, recipe,
                "per-image z-score over the pixels the model sees (the image area, or the lungs with --lungs-only); 0 elsewhere",
                memberFiles, opt.tta(), ModelCard.DISCLAIMER).withTrainedOn(trainedOn(train));
        card.write(modelDir);
        AtomicFiles.writeBytes(modelDir.resolve("val_metrics.json"), JSON.writeValueAsBytes(MetricsJson.of(valM)));
        if (testM != null) AtomicFiles.writeBytes(modelDir.resolve("test_metrics.json"), JSON.writeValueAsBytes(MetricsJson.of(testM)));
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("dataset", ds.root().toAbsolutePath().normalize().toString());
        prov.put("datasets", ds.roots().stream().map(r -> r.toAbsolutePath().normalize().toString()).toList());
        prov.put("sources", trainingPopulation(train));
        prov.put("dataset_hash", Provenance.datasetHash(ds));
        prov.put("counts", countsBySplit(train, val, test, classes));
        prov.put("skipped", failures.stream().map(Batch.Failure::toString).toList());
        Map<String, Object> splitInfo = new LinkedHashMap<>(Map.of("file", "split.csv", "seed", split.seed(), "val", opt.valFraction(),
                "test", opt.testFraction(), "unit", "patient", "strata", "source and label"));
        if (splitFromName != null) splitInfo.put("kept_from", splitFromName);
        if (splitByImage) splitInfo.put("unit", "image (kept file by file from " + splitFromName + "; patients may span parts)");
        prov.put("split", splitInfo);
        prov.put("seed", opt.seed());
        prov.put("options", opt);
        prov.put("masks", maskName);
        prov.putAll(extraProvenance);
        Provenance.finishAndWrite(modelDir, prov, bestEpoch, epochsRun, seconds, startedAt);
        log(String.format(Locale.ROOT, "best epoch %d: val accuracy %.3f macro-F1 %.3f%s", bestEpoch, valM.accuracy(), valM.macroF1(),
                testM == null ? "" : String.format(Locale.ROOT, "; test accuracy %.3f macro-F1 %.3f", testM.accuracy(), testM.macroF1())));
        return new Outcome(valM, testM, bestEpoch, epochsRun, seconds);
    }

    static String bestName(int member) {
        return member == 0 ? BEST : String.format(Locale.ROOT, "best-%d.params", member);
    }

    /** Trains one member from scratch (or from {@code state}); returns {best epoch, epochs run}. */
    private int[] trainMember(int member, State state, Dataset ds, TrainOptions opt, NetSpec spec, InputRecipe recipe,
                              List<String> classes, float[] classWeight, Map<String, Float> sourceFactor, List<Item> train,
                              List<Item> val, Path ckDir,
                              String startedAt, double secondsBefore, long runStart) throws IOException, BadInputException {
        long seed = opt.seed() + member;
        Net net = Checkpoints.startOrRestore(ckDir, state == null ? null : state.params(), spec, seed, opt.emaDecay());
        TrainingLoop.Start start = state == null ? TrainingLoop.Start.fresh()
                : new TrainingLoop.Start(state.epoch() + 1, state.history(), state.bestF1(), state.bestEpoch());
        if (member == 0 || state != null) log(String.format(Locale.ROOT, "network %s, %d parameters", spec, net.parameterCount()));
        TrainingListeners.StateOf stateOf = (params, e) -> new State(opt, ds.root().toString(), member, e.epoch(), params, e.best(),
                e.bestEpoch(), e.allHistory(), secondsBefore + (System.nanoTime() - runStart) / 1e9, startedAt);
        List<TrainingListener> listeners = List.of(
                new TrainingListeners.WeightAverage(),
                new TrainingListeners.BestWeights(ckDir.resolve(bestName(member))),
                new TrainingListeners.Logging(log),
                new TrainingListeners.Checkpointing(ckDir, stateOf),
                new TrainingListeners.Curves(modelDir.resolve(member == 0 ? "training_curves.png"
                        : String.format(Locale.ROOT, "training_curves-%d.png", member)), "train accuracy", "val accuracy"),
                new TrainingListeners.EarlyStopping(opt.patience(), log));
        TrainingLoop.Settings settings = new TrainingLoop.Settings(opt.epochs(), opt.batchSize(), opt.learningRate(), opt.warmupEpochs(), seed);
        TrainingLoop.Result r;
        try (NetTrainer trainer = new NetTrainer(net, opt.weightDecay())) {
            trainer.setEmaDecay(opt.emaDecay());
            r = new TrainingLoop<>(settings, new Task(opt, recipe, classes, classWeight, sourceFactor, val), listeners)
                    .run(net, trainer, train, start);
        } finally {
            net.close();
        }
        // the next member starts from scratch: record that this one is complete
        if (member + 1 < Math.max(1, opt.members())) {
            double total = secondsBefore + (System.nanoTime() - runStart) / 1e9;
            AtomicFiles.writeBytes(ckDir.resolve(STATE), JSON.writeValueAsBytes(
                    new State(opt, ds.root().toString(), member + 1, 0, null, -1, 0, List.of(), total, startedAt)));
        }
        return new int[] {r.bestEpoch(), r.epochsRun()};
    }

    /**
     * The classifier's part of the training loop: weighted soft-target cross-entropy on augmented crops (a
     * coarse "pneumonia" film adds the loss of its classes' summed probability), training accuracy
     * (a coarse film is right when called one of its classes), and the validation score that picks the epoch.
     */
    private static final class Task implements TrainingLoop.Task<Item> {
        private final TrainOptions opt;
        private final InputRecipe recipe;
        private final List<String> classes;
        private final float[] classWeight;
        private final Map<String, Float> sourceFactor;
        private final List<Item> val;
        private Eval last;

        Task(TrainOptions opt, InputRecipe recipe, List<String> classes, float[] classWeight, Map<String, Float> sourceFactor, List<Item> val) {
            this.opt = opt;
            this.recipe = recipe;
            this.classes = classes;
            this.classWeight = classWeight;
            this.sourceFactor = sourceFactor;
            this.val = val;
        }

        @Override
        public String metricName() {
            return "acc";
        }

        @Override
        public TrainingLoop.Inputs prepare(List<Item> batch, Random rnd) {
            int n = batch.size(), s = opt.imageSize(), k = classes.size();
            float[] x = new float[n * s * s], targets = new float[n * k], weights = new float[n];
            float[] setMask = new float[n * k], setWeight = new float[n];
            boolean anyCoarse = false;
            byte[] ai = new byte[s * s], ar = new byte[s * s];
            for (int i = 0; i < n; i++) {
                Item it = batch.get(i);
                InputRecipe.Crop crop = it.pick(rnd);
                opt.augment().apply(crop.image().pixels(), crop.region().pixels(), s, rnd, ai, ar);
                InputRecipe.normalise(ai, ar, x, i * s * s);
                double eps = opt.labelSmoothing();
                if (it.coarse()) {
                    // bacterial OR viral: the loss of the allowed classes' summed probability (+ smoothing)
                    for (int c = 0; c < k; c++) targets[i * k + c] = (float) (eps / k);
                    for (Label l : it.sample().targets()) setMask[i * k + l.ordinal()] = 1;
                    setWeight[i] = (float) (1 - eps);
                    anyCoarse = true;
                } else {
                    for (int c = 0; c < k; c++) targets[i * k + c] = (float) (eps / k + (c == it.label() ? 1 - eps : 0));
                }
                weights[i] = weightOf(it, classWeight) * sourceFactor.getOrDefault(groupKey(it), 1f);
            }
            boolean coarse = anyCoarse;
            return trainer -> {
                float[] probs = new float[n * k];
                double loss = coarse ? trainer.step(x, n, targets, setMask, setWeight, weights, probs)
                        : trainer.step(x, n, targets, weights, probs);
                double[] right = new double[n];
                for (int i = 0; i < n; i++) {
                    int pred = Metrics.argmax(Arrays.copyOfRange(probs, i * k, i * k + k));
                    if (batch.get(i).allows(pred)) right[i] = 1;
                }
                return new TrainingLoop.Step(loss, right);
            };
        }

        @Override
        public TrainingLoop.Validation validate(Net net) {
            last = evaluate(List.of(net), val, recipe, classes, classWeight, opt.labelSmoothing());
            return new TrainingLoop.Validation(last.score, last.loss, last.metrics.accuracy(), last.metrics.macroF1());
        }

        @Override
        public String describe(History h, TrainingLoop.Validation v) {
            Coarse c = last.coarse;
            return String.format(Locale.ROOT, "train loss %.4f acc %.3f | val loss %.4f acc %.3f macro-F1 %.3f%s", h.trainLoss(),
                    h.trainAccuracy(), v.loss(), v.accuracy(), v.macroF1(), c.n() == 0 ? ""
                            : String.format(Locale.ROOT, " coarse %d/%d called pneumonia, %d COVID-19 | score %.3f",
                            c.pneumonia(), c.n(), c.covid(), v.score()));
        }
    }

    static String groupKey(Item it) {
        return it.sample().labelOrFinding() + "/" + (it.sample().source() == null ? "unknown" : it.sample().source());
    }

    /** The class weight of an item; a coarse item weighs the mean of its classes' weights (bacterial and viral pneumonia). */
    static float weightOf(Item it, float[] classWeight) {
        if (!it.coarse()) return classWeight[it.label()];
        float sum = 0;
        for (Label l : it.sample().targets()) sum += classWeight[l.ordinal()];
        return sum / it.sample().targets().size();
    }

    /**
     * Within each class, images of a source that is rare for that class get the weight
     * min(cap, sqrt(n_class / n_group)): adult bacterial, viral and healthy images (a few dozen, next to
     * thousands of pediatric ones) then weigh up to {@code cap} times more, so "adult" cannot stand in
     * for "COVID-19". Empty when cap <= 1 or there is one source.
     */
    static Map<String, Float> sourceFactors(List<Item> train, double cap) {
        Map<String, Integer> group = new java.util.TreeMap<>();
        Map<String, Integer> perClass = new java.util.HashMap<>();
        for (Item it : train) {
            group.merge(groupKey(it), 1, Integer::sum);
            perClass.merge(it.sample().labelOrFinding(), 1, Integer::sum);
        }
        Map<String, Float> f = new java.util.TreeMap<>();
        if (cap <= 1 || group.keySet().stream().map(g -> g.substring(g.indexOf('/') + 1)).distinct().count() < 2) return f;
        for (var e : group.entrySet()) {
            String label = e.getKey().substring(0, e.getKey().indexOf('/'));
            double w = Math.min(cap, Math.sqrt((double) perClass.get(label) / e.getValue()));
            f.put(e.getKey(), (float) Math.max(1.0, w));
        }
        return f;
    }

    static float[] classWeights(List<Item> train, int k, String mode) {
        int[] n = new int[k];
        int total = 0;
        for (Item it : train) {
            if (it.coarse()) continue; // the coarse label weighs the mean of bacterial and viral
            n[it.label()]++;
            total++;
        }
        float[] w = new float[k];
        for (int c = 0; c < k; c++) {
            double f = n[c] == 0 ? 0 : (double) total / (k * n[c]);
            w[c] = (float) (switch (mode) {
                case "none" -> 1.0;
                case "sqrt" -> Math.sqrt(f);
                default -> f;
            });
        }
        return w;
    }

    /**
     * Validation of one epoch: four-class metrics, loss, probabilities, the coarse-label counts, and the
     * score that picks the best epoch (macro F1 where a coarse image called COVID-19 or healthy counts as a
     * false positive of that class; without coarse images it is the macro F1).
     */
    record Eval(Metrics.Result metrics, double loss, float[][] probs, Coarse coarse, double score) {}

    /** Coarse-labelled images: how many, how many were called bacterial or viral, COVID-19, healthy. */
    record Coarse(int n, int pneumonia, int covid, int healthy) {}

    /**
     * Inputs per network call in {@link #evaluate}: 32, as in training. At 64 (192 px) an eval-mode activation is
     * over glibc's 32 MB mmap limit, so every layer's output is fresh memory the kernel must zero: 2,836 minor page
     * faults per image against 508 at 32 (issue 14, docs/benchmarks.md); the outputs are the same.
     */
    static final int EVAL_BATCH = 32;

    /** Metrics of one net or of an ensemble (softmax outputs averaged). */
    static Eval evaluate(List<Net> nets, List<Item> items, InputRecipe recipe, List<String> classes, float[] classWeight, double eps) {
        int s = recipe.size(), k = classes.size(), bs = EVAL_BATCH;
        float[][] probs = new float[items.size()][];
        int[] truth = new int[items.size()];
        double lossSum = 0, wSum = 0;
        int nCoarse = 0, coarsePneu = 0, coarseCovid = 0, coarseHealthy = 0;
        for (int from = 0; from < items.size(); from += bs) {
            int n = Math.min(bs, items.size() - from);
            float[] x = new float[n * s * s];
            for (int i = 0; i < n; i++) {
                InputRecipe.Crop c = items.get(from + i).crop();
                InputRecipe.normalise(c.image().pixels(), c.region().pixels(), x, i * s * s);
            }
            float[][] avg = new float[n][k];
            for (Net net : nets) {
                float[] logits = net.forward(x, n);
                for (int i = 0; i < n; i++) {
                    float[] q = Softmax.of(logits, i * k, k);
                    for (int c = 0; c < k; c++) avg[i][c] += q[c] / nets.size();
                }
            }
            for (int i = 0; i < n; i++) {
                Item it = items.get(from + i);
                float[] p = avg[i];
                probs[from + i] = p;
                truth[from + i] = it.label();
                double w = weightOf(it, classWeight);
                double l = 0;
                if (it.coarse()) {
                    int pred = Metrics.argmax(p);
                    nCoarse++;
                    if (it.allows(pred)) coarsePneu++;
                    else if (pred == Label.COVID19.ordinal()) coarseCovid++;
                    else coarseHealthy++;
                    for (int c = 0; c < k; c++) l -= eps / k * Math.log(Math.max(1e-12, p[c]));
                    double allowed = 0;
                    for (Label t : it.sample().targets()) allowed += p[t.ordinal()];
                    l -= (1 - eps) * Math.log(Math.max(1e-12, allowed));
                } else {
                    for (int c = 0; c < k; c++) {
                        double t = eps / k + (c == it.label() ? 1 - eps : 0);
                        l -= t * Math.log(Math.max(1e-12, p[c]));
                    }
                }
                lossSum += w * l;
                wSum += w;
            }
        }
        List<Integer> four = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) if (truth[i] >= 0) four.add(i);
        Metrics.Result m = Metrics.compute(classes, four.stream().mapToInt(i -> truth[i]).toArray(),
                four.stream().map(i -> probs[i]).toArray(float[][]::new));
        int[] extraFp = new int[k];
        extraFp[Label.COVID19.ordinal()] = coarseCovid;
        extraFp[Label.HEALTHY.ordinal()] = coarseHealthy;
        double score = Metrics.macroF1WithFalsePositives(m.confusion(), extraFp);
        return new Eval(m, wSum == 0 ? 0 : lossSum / wSum, probs, new Coarse(nCoarse, coarsePneu, coarseCovid, coarseHealthy), score);
    }

    /** Typed (bacterial or viral) training films a population needs of each type before the model's type call is shown as such. */
    static final int MIN_TYPED_FILMS = 100;

    /** The populations and sources of the training films, and what they cannot support. */
    static ModelCard.TrainedOn trainedOn(List<Item> train) {
        Map<String, Integer> pops = new java.util.TreeMap<>();
        Map<String, int[]> typed = new java.util.TreeMap<>(); // population -> {bacterial, viral, coarse}
        for (Item it : train) {
            String pop = io.cxr4j.data.Populations.of(it.sample());
            pops.merge(pop, 1, Integer::sum);
            int[] t = typed.computeIfAbsent(pop, x -> new int[3]);
            if (it.coarse()) t[2]++;
            else if (it.label() == Label.BACTERIAL_PNEUMONIA.ordinal()) t[0]++;
            else if (it.label() == Label.VIRAL_PNEUMONIA.ordinal()) t[1]++;
        }
        List<String> supported = new ArrayList<>(), limits = new ArrayList<>();
        for (var e : typed.entrySet()) {
            int[] t = e.getValue();
            if (t[0] >= MIN_TYPED_FILMS && t[1] >= MIN_TYPED_FILMS) supported.add(e.getKey());
            else if (!e.getKey().equals(io.cxr4j.data.Populations.UNKNOWN)) {
                limits.add(String.format(Locale.ROOT, "bacterial vs viral pneumonia in %s films: only %d bacterial and %d viral typed training films"
                        + " (%d more of unknown type), so for such films only 'pneumonia (bacterial or viral)' is supported", e.getKey(), t[0], t[1], t[2]));
            }
        }
        limits.add("trained only on the sources listed; films from other hospitals, devices or populations may be scored differently");
        return new ModelCard.TrainedOn(trainingPopulation(train), pops, limits, supported);
    }

    /** Training images per source and label (the populations the model learned from), e.g. {nih: {healthy: 230, pneumonia: 250}}. */
    static Map<String, Map<String, Integer>> trainingPopulation(List<Item> train) {
        Map<String, Map<String, Integer>> m = new java.util.TreeMap<>();
        for (Item it : train) {
            String src = it.sample().source() == null ? "unknown" : it.sample().source();
            m.computeIfAbsent(src, x -> new java.util.TreeMap<>()).merge(it.sample().labelOrFinding(), 1, Integer::sum);
        }
        return m;
    }

    static Map<String, Map<String, Integer>> countsBySplit(List<Item> train, List<Item> val, List<Item> test, List<String> classes) {
        Map<String, Map<String, Integer>> m = new LinkedHashMap<>();
        for (var e : Map.of("train", train, "val", val, "test", test).entrySet()) {
            Map<String, Integer> c = new LinkedHashMap<>();
            for (String cl : classes) c.put(cl, 0);
            for (Item it : e.getValue()) c.merge(it.coarse() ? Sample.COARSE_PNEUMONIA : classes.get(it.label()), 1, Integer::sum);
            m.put(e.getKey(), c);
        }
        Map<String, Map<String, Integer>> ordered = new LinkedHashMap<>();
        for (String p : List.of("train", "val", "test")) ordered.put(p, m.get(p));
        return ordered;
    }

    private void log(String line) {
        log.println(line);
        log.flush();
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.3f", v); }
}
