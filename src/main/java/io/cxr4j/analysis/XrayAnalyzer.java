package io.cxr4j.analysis;

import io.cxr4j.check.InputCheck;
import io.cxr4j.check.Verdict;
import io.cxr4j.data.MaskSource;
import io.cxr4j.eval.Metrics;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.model.Classifier;
import io.cxr4j.model.ModelCard;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.quality.Quality;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.util.BadInputException;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Analyses chest X-rays: decode, lung mask (annotation, else the segmenter on a copy of at most 512 px),
 * classify, quality flags and warnings. One instance serves many threads: decoding, masking and quality
 * run in parallel, each network one call at a time ({@link #analyzeAll} gives its workers networks of their own).
 * Research tool, not a diagnostic device.
 */
public final class XrayAnalyzer implements AutoCloseable {
    private final Classifier classifier;
    private final Path segmenterDir;
    private LungSegmenter segmenter; // loaded by the first film that needs it
    private String segmenterProblem;
    private final AnalysisOptions options;
    private final String modelId;
    private InputCheck check; // null when options.inputCheck() is off
    private Path classifierDir; // to load the copies analyzeAll's workers use (null: segmenter-only)
    private final List<XrayAnalyzer> lanes = new ArrayList<>(); // those copies, loaded on first use, closed with this one

    private XrayAnalyzer(Classifier classifier, Path segmenterDir, LungSegmenter segmenter, AnalysisOptions options, String modelId) {
        this.classifier = classifier;
        this.segmenterDir = segmenterDir;
        this.segmenter = segmenter;
        this.options = options;
        this.modelId = modelId;
    }

    /**
     * The segmenter, loaded when a film first needs one (annotated films never do, so a run over them does
     * not pay for it); a segmenter that cannot be loaded is a one-line reason for each film that needs it.
     */
    private synchronized LungSegmenter segmenterOrFail() throws BadInputException {
        if (segmenter == null && segmenterProblem == null) {
            if (segmenterDir == null) {
                segmenterProblem = "no lung annotation or mask for this film, and no lung segmenter was given";
            } else {
                try {
                    segmenter = LungSegmenter.load(segmenterDir);
                } catch (BadInputException e) {
                    segmenterProblem = "no lung annotation or mask for this film, and no lung segmenter to predict one (" + segmenterDir
                            + ": " + e.getMessage() + ")";
                }
            }
        }
        if (segmenter == null) throw new BadInputException(segmenterProblem);
        return segmenter;
    }

    /**
     * Loads a classifier folder and, for films without annotation, a segmenter folder (null: none; films
     * without annotation are then refused with a reason). A segmenter that cannot be loaded is only an error
     * for the films that need it.
     */
    public static XrayAnalyzer load(Path classifierDir, Path segmenterDir, AnalysisOptions options) throws BadInputException {
        InputCheck check = loadCheck(options, classifierDir);
        Classifier c;
        try {
            c = Classifier.load(classifierDir);
        } catch (BadInputException e) {
            if (check != null) check.close();
            throw e;
        }
        Path name = classifierDir.toAbsolutePath().normalize().getFileName();
        XrayAnalyzer a = new XrayAnalyzer(c, segmenterDir, null, options, name == null ? classifierDir.toString() : name.toString());
        a.check = check;
        a.classifierDir = classifierDir;
        return a;
    }

    /**
     * The input check the options ask for (null when off): {@code options.checkDir()}, else the
     * {@code input-check} folder beside {@code modelDir} (as in models/).
     */
    private static InputCheck loadCheck(AnalysisOptions options, Path modelDir) throws BadInputException {
        if (!options.inputCheck()) return null;
        Path dir = options.checkDir() != null ? options.checkDir() : modelDir.toAbsolutePath().normalize().resolveSibling("input-check");
        try {
            return InputCheck.load(dir);
        } catch (BadInputException e) {
            throw new BadInputException(e.getMessage() + "; the input check needs it (--no-input-check runs without it, for research only)", e);
        }
    }

    /** The input check in use, or null when it is off. */
    public InputCheck inputCheck() { return check; }

    /** An analyzer that only segments ({@link #segment}); {@link #analyze} refuses. */
    public static XrayAnalyzer segmenterOnly(Path segmenterDir, AnalysisOptions options) throws BadInputException {
        InputCheck check = loadCheck(options, segmenterDir);
        LungSegmenter seg = LungSegmenter.load(segmenterDir);
        Path name = segmenterDir.toAbsolutePath().normalize().getFileName();
        XrayAnalyzer a = new XrayAnalyzer(null, segmenterDir, seg, options, name == null ? segmenterDir.toString() : name.toString());
        a.check = check;
        return a;
    }

    public ModelCard card() {
        if (classifier == null) throw new IllegalStateException("a segmenter-only analyzer has no classifier");
        return classifier.card();
    }

    /** A film and its lung mask at the film's own size. */
    public record Segmentation(GrayImage image, GrayImage lungMask, List<String> corrections) {}

    /**
     * The film's lung mask at its own size, from the segmenter ({@code raw}: without post-processing), for
     * {@code cxr segment}. Thread-safe.
     */
    public Segmentation segment(XrayInput in, boolean raw) throws BadInputException {
        LungSegmenter seg = segmenterOrFail();
        Verdict film = checked(in);
        GrayImage mask = seg.segment(film.image(), raw);
        requireLungs(check, mask);
        return new Segmentation(film.image(), mask, film.corrections());
    }

    /**
     * The film after the input check: a refused film is a {@link NotFrontalException}, a corrected one comes
     * back corrected with its corrections named; with the check off, the film as decoded.
     */
    private Verdict checked(XrayInput in) throws BadInputException {
        ImageReader.Decoded d = in.path() != null ? ImageReader.decode(in.path()) : ImageReader.decode(in.bytes(), in.name());
        if (check == null) return new Verdict(true, null, List.of(), d.image(), null, Double.NaN);
        return accepted(check.check(d.image(), d.dicom(), d.colourfulness()));
    }

    /** The verdict if it accepts the film, else its refusal as a {@link NotFrontalException}. */
    static Verdict accepted(Verdict v) throws NotFrontalException {
        if (!v.accepted()) throw new NotFrontalException(v.reason());
        return v;
    }

    /** Refuses a film whose segmented lungs the check finds implausible (nothing when the check is off). */
    static void requireLungs(InputCheck check, GrayImage mask) throws NotFrontalException {
        if (check == null) return;
        String lungs = check.lungReason(mask);
        if (lungs != null) throw new NotFrontalException(lungs);
    }

    /** A short id of the classifier (its folder name). */
    public String modelId() { return modelId; }

    /** Decodes a film, from its path or its bytes. */
    public static GrayImage decode(XrayInput in) throws BadInputException {
        return in.path() != null ? ImageReader.read(in.path()) : ImageReader.read(in.bytes(), in.name());
    }

    /**
     * Analyses one film; a problem with the film is a {@link BadInputException} with a one-line reason, and a
     * film the input check refuses a {@link NotFrontalException}. A film the check corrected (turned back,
     * inverted back) is analysed corrected, its lung mask then always from the segmenter, and the correction
     * is named in {@link Analysis#corrections()}.
     */
    public Analysis analyze(XrayInput in) throws BadInputException {
        return analyze(in, options.heatmap());
    }

    /** {@link #analyze(XrayInput)}, with or without the heat map whatever the options say (the server's per-request choice). */
    public Analysis analyze(XrayInput in, boolean heatmap) throws BadInputException {
        if (classifier == null) throw new IllegalStateException("a segmenter-only analyzer cannot classify");
        Verdict film = checked(in);
        GrayImage img = film.image();
        List<String> corrections = film.corrections();
        GrayImage mask = null;
        String source = "none";
        boolean usesMask = classifier.recipe().usesMask();
        boolean lungsUnchecked = false;
        GrayImage shown = null, outline = null; // a whole-film model's result is shown on the copy the lungs were found on
        if (options.useAnnotation() && in.hasMaskSource() && corrections.isEmpty()) {
            // the annotation's lungs: a lung-masked model's crop, or only the outline drawn for a whole-film model;
            // either way the film is not segmented (and, as for every annotated film, the lung-shape step is not needed)
            mask = MaskSource.AUTO.lungMask(in.asSample(), img.width(), img.height());
            source = "annotation";
        } else if (usesMask || (check != null && (segmenter != null || segmenterDir != null))) {
            // segmented for the classifier's crop or, for a whole-film model, only for the input check's lung-shape
            // step; either way only the class is needed, not a full-size mask: work on a copy of at most 512 px
            GrayImage small = LungSegmenter.atWorkingSize(img);
            GrayImage lungs = segmenterOrFail().segment(small);
            requireLungs(check, lungs);
            if (usesMask) { // a whole-film model still sees the film itself, as in training
                img = small;
                mask = lungs;
            } else { // the outline is only drawn: the result is shown on the copy it was found on
                shown = small;
                outline = lungs;
            }
            source = "predicted";
        } else {
            lungsUnchecked = check != null;
        }
        float[] p;
        GrayImage heat = null;
        try {
            // the crop (AND, resize) in this thread; only the network runs one call at a time. A whole-film model's
            // recipe leaves an annotation's mask out of its crop by itself
            InputRecipe.Crop crop = classifier.recipe().crop(img, mask);
            if (heatmap) { // one pass of the networks gives both
                io.cxr4j.model.Classifier.Explained e;
                synchronized (classifier) {
                    e = classifier.predictExplained(img, mask, crop);
                }
                p = e.probabilities();
                heat = shown == null ? e.explanation().filmHeat() : e.explanation().filmHeat(shown.width(), shown.height());
            } else {
                synchronized (classifier) {
                    p = classifier.predictCrops(List.of(crop)).get(0);
                }
            }
        } catch (IllegalArgumentException e) {
            // e.g. an empty lung mask (only without the input check, which refuses such films first)
            throw new BadInputException("lungs not found (" + e.getMessage() + ")", e);
        }
        List<String> classes = classifier.card().classes();
        int best = Metrics.argmax(p);
        List<String> flags = options.qualityThresholds() == null ? List.of() : Quality.measure(img).flags(options.qualityThresholds());
        List<String> warnings = new ArrayList<>();
        if (!flags.isEmpty()) warnings.add("image quality: " + String.join(", ", flags));
        if (source.equals("predicted")) {
            warnings.add(usesMask ? "lung mask predicted by the segmenter (no annotation given)"
                    : "lung outline from the segmenter, for the input check and the pictures; the classifier reads the whole film");
        } else if (source.equals("annotation") && !usesMask) {
            warnings.add("lung outline from the annotation, for the pictures; the classifier reads the whole film");
        }
        for (String c : corrections) warnings.add("corrected: " + c);
        if (check == null) warnings.add("input check off: the film was not checked to be a frontal chest X-ray");
        if (lungsUnchecked) warnings.add("input check: the lungs' shape was not checked (no lung segmenter given)");
        String note = typeNote(classifier.card(), classes.get(best));
        if (note != null) warnings.add(note);
        double pneumonia = p[classes.indexOf("bacterial_pneumonia")] + p[classes.indexOf("viral_pneumonia")];
        if (shown != null) { // whole-film model: show the result on the copy, with its outline
            img = shown;
            mask = outline;
        }
        return new Analysis(in.name(), classes, p, classes.get(best), p[best], pneumonia, source, img, mask, flags, warnings, corrections, heat, check != null);
    }

    /**
     * Analyses films on {@code threads} threads; one outcome per input, in input order. A bad film gets its
     * reason and the rest go on. {@code progress} is stepped once per film.
     *
     * <p>Each worker thread has networks of its own: the first uses this analyzer's, the others copies loaded from
     * the same folders on first use (kept for later calls, closed with this analyzer), so that the workers never
     * wait for each other's network calls. With the engine on one intra-op thread per call
     * ({@code Net.configureThreads(1)}, as {@code bin/cxr predict} sets it) each worker then keeps one core busy
     * without the engine's thread pools competing for the cores. A copy that cannot be loaded only means fewer
     * workers with networks of their own (they share); the results are the same either way.
     */
    public List<Outcome> analyzeAll(List<XrayInput> inputs, int threads, Progress progress) {
        Outcome[] out = new Outcome[inputs.size()];
        List<Integer> order = java.util.stream.IntStream.range(0, inputs.size()).boxed().toList();
        int workers = Math.max(1, Math.min(threads, inputs.size()));
        java.util.concurrent.BlockingQueue<XrayAnalyzer> free = new java.util.concurrent.LinkedBlockingQueue<>();
        free.add(this);
        free.addAll(lanes(workers - 1));
        // outcome() turns every failure of a film into its reason, so Batch only runs and counts
        Batch.run(order, threads, i -> Path.of(inputs.get(i).name()), progress, i -> {
            XrayAnalyzer a = free.take();
            try {
                out[i] = a.outcome(inputs.get(i));
            } finally {
                free.add(a);
            }
        });
        List<Outcome> list = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            list.add(out[i] != null ? out[i] : Outcome.failed(inputs.get(i), "internal error (run with --verbose)", null));
        }
        return list;
    }

    /**
     * Up to {@code n} copies of this analyzer (same folders and options) for analyzeAll's extra workers, loaded
     * the first time they are wanted; fewer when a copy cannot be loaded or this analyzer only segments.
     */
    private synchronized List<XrayAnalyzer> lanes(int n) {
        while (lanes.size() < n && classifierDir != null) {
            try {
                XrayAnalyzer copy = load(classifierDir, segmenterDir, options);
                lanes.add(copy);
            } catch (BadInputException | RuntimeException e) {
                break; // this analyzer loaded the same folders, so this is rare (e.g. out of memory): share instead
            }
        }
        return List.copyOf(lanes.subList(0, Math.min(n, lanes.size())));
    }

    /** How many copies for extra workers are loaded (for tests). */
    synchronized int lanesLoaded() { return lanes.size(); }

    public List<Outcome> analyzeAll(List<XrayInput> inputs, int threads) {
        return analyzeAll(inputs, threads, Progress.silent(inputs.size()));
    }

    private Outcome outcome(XrayInput in) {
        try {
            return Outcome.of(in, analyze(in));
        } catch (BadInputException e) {
            return Outcome.failed(in, e.getMessage(), e);
        } catch (RuntimeException | OutOfMemoryError e) {
            return Outcome.failed(in, "internal error (run with --verbose)", e);
        }
    }

    /**
     * For a bacterial or viral call, what the training data cannot support: the type for populations with too
     * few typed films. Null when there is nothing to say.
     */
    public static String typeNote(ModelCard card, String predicted) {
        if (card.trainedOn() == null || !(predicted.equals("bacterial_pneumonia") || predicted.equals("viral_pneumonia"))) return null;
        List<String> ok = card.trainedOn().pneumoniaTypeSupportedFor();
        if (ok == null || ok.contains(io.cxr4j.data.Populations.ADULT)) return null;
        return "bacterial vs viral was learned from " + (ok.isEmpty() ? "too few films" : String.join(" and ", ok) + " films only")
                + "; for an adult's film read it as pneumonia of unknown type (p_pneumonia)";
    }

    @Override
    public synchronized void close() {
        for (XrayAnalyzer lane : lanes) lane.close();
        lanes.clear();
        if (classifier != null) classifier.close();
        if (check != null) check.close();
        if (segmenter != null) segmenter.close();
    }
}
