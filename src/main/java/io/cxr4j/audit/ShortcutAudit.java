package io.cxr4j.audit;

import io.cxr4j.data.PatientSplit.Part;
import io.cxr4j.data.Sample;
import io.cxr4j.eval.Metrics;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;
import io.cxr4j.image.ImageReader;
import io.cxr4j.mask.MaskOps;
import io.cxr4j.model.Classifier;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.prep.MaskProvider;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shortcut audit: how much each of these alone tells the classes apart on test patients, as balanced
 * accuracy next to chance.
 * <ul>
 *   <li><b>outline</b>: the lung mask as the model's crop frames it, texture removed, {@value #SIDE}x{@value #SIDE}:
 *   a linear probe fitted on training patients; and the classifier itself on its input with the lungs filled
 *   with one constant grey;</li>
 *   <li><b>outside the lungs</b>: the film with the lungs blacked out, padded square, {@value #SIDE}x{@value #SIDE},
 *   a linear probe;</li>
 *   <li><b>source</b>: which collection a film comes from, predicted by a linear probe from the model's own
 *   input (the normalised masked crop, block-averaged to {@value #SIDE}x{@value #SIDE}).</li>
 * </ul>
 * Probes are {@link LogisticRegression}s fitted on training patients, their L2 penalty chosen on validation
 * patients, scored on test patients. For reference the same probe on the model's input predicts the class,
 * and the classifier's own balanced accuracy on the same test films is given.
 */
public final class ShortcutAudit {
    private ShortcutAudit() {}

    /** Side of the probes' pictures. */
    public static final int SIDE = 32;
    /** L2 penalties tried on validation patients. */
    static final double[] LAMBDAS = {1e-3, 1e-2, 1e-1, 1};
    static final int ITERATIONS = 250;

    /** What the probes see of one film: each a {@value #SIDE} x {@value #SIDE} picture, row-major. */
    public record Features(float[] outline, float[] outside, float[] input) {}

    /** One audited film: its class index, source, part, probe features, and for test films the classifier's answers. */
    public record Film(Sample sample, int label, Part part, Features features, int predicted, int predictedFilled) {}

    /** One probe's figure. */
    public record Probe(String id, String question, String features, String target, double balancedAccuracy, double chance,
                        int trainFilms, int testFilms, double lambda, List<String> targets, double[] recalls) {}

    /**
     * The probes' features: the model's crop region (lung 1, else 0), the film outside the lungs (0-1, lungs
     * black, padded to a square) and the model's normalised input, each averaged down to {@code side}.
     */
    public static Features features(GrayImage film, GrayImage mask, InputRecipe recipe, int side) {
        InputRecipe.Crop crop = recipe.crop(film, mask);
        float[] outline = scaled(ImageOps.resize(lungsInInput(film, mask, recipe, crop), side, side), 1 / 255f);
        GrayImage notLungs = new GrayImage(mask.width(), mask.height());
        byte[] m = mask.pixels(), nl = notLungs.pixels();
        for (int i = 0; i < m.length; i++) nl[i] = m[i] == 0 ? (byte) 255 : 0;
        GrayImage outsideFilm = MaskOps.apply(film, notLungs);
        int sq = Math.max(film.width(), film.height());
        int x0 = -(sq - film.width()) / 2, y0 = -(sq - film.height()) / 2;
        GrayImage square = ImageOps.crop(outsideFilm, new ImageOps.Rect(x0, y0, x0 + sq, y0 + sq));
        float[] outside = scaled(ImageOps.resize(square, side, side), 1 / 255f);
        int s = recipe.size();
        float[] x = new float[s * s];
        InputRecipe.normalise(crop.image().pixels(), crop.region().pixels(), x, 0);
        return new Features(outline, outside, blockAverage(x, s, side));
    }

    /**
     * Where the film's lungs lie in the model's input square (255 lung, 0 elsewhere, at the input size): the crop's
     * region for a lung-masked model; for a whole-film model, which sees no mask, the lung mask put through the same
     * square as the film.
     */
    public static GrayImage lungsInInput(GrayImage film, GrayImage mask, InputRecipe recipe, InputRecipe.Crop crop) {
        if (recipe.usesMask()) return crop.region();
        return ImageOps.resizeNearest(ImageOps.crop(MaskOps.binarise(mask), recipe.cropRect(film, null)), recipe.size(), recipe.size());
    }

    /**
     * The model's input with the lungs' texture removed. Lung-masked model: one grey (128) inside the region, black
     * outside (the outline alone). Whole-film model: the lungs ({@code lungs}, from {@link #lungsInInput}) filled
     * with one grey and the film around them kept, the nearest a whole-film model's input comes to "the outline
     * without the texture".
     */
    public static InputRecipe.Crop filled(InputRecipe.Crop crop, GrayImage lungs, boolean lungsOnly) {
        if (lungsOnly) return filled(crop);
        byte[] l = lungs.pixels(), img = crop.image().pixels(), out = new byte[l.length];
        for (int i = 0; i < l.length; i++) out[i] = l[i] != 0 ? (byte) 128 : img[i];
        return new InputRecipe.Crop(new GrayImage(crop.image().width(), crop.image().height(), out), crop.region());
    }

    /** The model's crop with the lungs' texture removed: one grey (128) inside the region, black outside. */
    public static InputRecipe.Crop filled(InputRecipe.Crop crop) {
        byte[] r = crop.region().pixels(), out = new byte[r.length];
        for (int i = 0; i < r.length; i++) out[i] = r[i] != 0 ? (byte) 128 : 0;
        return new InputRecipe.Crop(new GrayImage(crop.region().width(), crop.region().height(), out), crop.region());
    }

    /** Averages an {@code s x s} array down to {@code side x side} (cells of unequal size when s is not a multiple). */
    static float[] blockAverage(float[] x, int s, int side) {
        float[] out = new float[side * side];
        for (int oy = 0; oy < side; oy++) {
            int ya = oy * s / side, yb = Math.max(ya + 1, (oy + 1) * s / side);
            for (int ox = 0; ox < side; ox++) {
                int xa = ox * s / side, xb = Math.max(xa + 1, (ox + 1) * s / side);
                double sum = 0;
                for (int y = ya; y < yb; y++) for (int xx = xa; xx < xb; xx++) sum += x[y * s + xx];
                out[oy * side + ox] = (float) (sum / ((yb - ya) * (xb - xa)));
            }
        }
        return out;
    }

    private static float[] scaled(GrayImage g, float k) {
        byte[] p = g.pixels();
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) f[i] = (p[i] & 0xFF) * k;
        return f;
    }

    /**
     * Reads every film (train, val and test samples; films whose label is not one of the model's classes are
     * left out), computes its features and, for test films, the classifier's answer on its input and on the
     * filled input. Films that cannot be read are returned as failures.
     */
    public static List<Film> collect(Classifier model, Map<Part, List<Sample>> parts, MaskProvider masks, int threads,
                                     Progress progress, List<Batch.Failure> failures) {
        List<String> classes = model.card().classes();
        InputRecipe recipe = model.recipe();
        List<Sample> all = new ArrayList<>();
        Map<Sample, Part> partOf = new ConcurrentHashMap<>();
        for (var e : parts.entrySet()) {
            for (Sample s : e.getValue()) {
                if (s.label() == null || !classes.contains(s.label().id())) continue;
                all.add(s);
                partOf.put(s, e.getKey());
            }
        }
        Map<Sample, Film> films = new ConcurrentHashMap<>();
        failures.addAll(Batch.run(all, threads, Sample::image, progress, s -> {
            GrayImage img = ImageReader.read(s.image());
            GrayImage mask = masks.lungMask(s, img);
            Part part = partOf.get(s);
            Features f = features(img, mask, recipe, SIDE);
            int pred = -1, predFilled = -1;
            if (part == Part.TEST) {
                InputRecipe.Crop crop = recipe.crop(img, mask);
                List<float[]> p;
                synchronized (model) {
                    p = model.predictCrops(List.of(crop, filled(crop, lungsInInput(img, mask, recipe, crop), recipe.usesMask())));
                }
                pred = Metrics.argmax(p.get(0));
                predFilled = Metrics.argmax(p.get(1));
            }
            films.put(s, new Film(s, classes.indexOf(s.label().id()), part, f, pred, predFilled));
        }));
        List<Film> out = new ArrayList<>();
        for (Sample s : all) if (films.containsKey(s)) out.add(films.get(s));
        return out;
    }

    /** The audit's figures from collected films, for a lung-masked model. */
    public static List<Probe> run(List<Film> films, List<String> classes) {
        return run(films, classes, true);
    }

    /**
     * The audit's figures from collected films. For a whole-film model ({@code lungsOnly} false) the classifier's
     * answer on its input with the lungs filled is not the outline alone (the film around the lungs stays), so it is
     * reported as {@code lungs_filled_classifier}, and only the probe speaks for "the outline alone".
     */
    public static List<Probe> run(List<Film> films, List<String> classes, boolean lungsOnly) {
        List<Probe> out = new ArrayList<>();
        int k = classes.size();
        out.add(probe("outline_probe", "lung outline alone (texture removed), linear probe", "the lungs in the model's input square (for a lung-masked model its crop's region), 32x32",
                "class", films, f -> f.features().outline(), Film::label, classes));
        int[] truth = films.stream().filter(f -> f.part() == Part.TEST).mapToInt(Film::label).toArray();
        int[] filled = films.stream().filter(f -> f.part() == Part.TEST).mapToInt(Film::predictedFilled).toArray();
        int[] real = films.stream().filter(f -> f.part() == Part.TEST).mapToInt(Film::predicted).toArray();
        int trainN = (int) films.stream().filter(f -> f.part() == Part.TRAIN).count();
        out.add(new Probe(lungsOnly ? "outline_classifier" : "lungs_filled_classifier",
                lungsOnly ? "lung outline alone, the classifier itself" : "the film without the lungs' texture, the classifier itself",
                lungsOnly ? "the model's input with the lungs filled with one grey" : "the model's input with the lungs filled with one grey, the film around them kept",
                "class", BalancedAccuracy.of(truth, filled, k), BalancedAccuracy.chance(truth, k), 0, truth.length, Double.NaN, classes,
                BalancedAccuracy.recalls(truth, filled, k)));
        out.add(probe("outside_lungs_probe", "film outside the lungs, linear probe", "film with the lungs blacked out, padded square, 32x32",
                "class", films, f -> f.features().outside(), Film::label, classes));
        List<String> sources = films.stream().filter(f -> f.part() == Part.TRAIN).map(f -> String.valueOf(f.sample().source()))
                .distinct().sorted().toList();
        List<Film> known = films.stream().filter(f -> sources.contains(String.valueOf(f.sample().source()))).toList();
        out.add(probe("source_from_input_probe", "source from the model's input, linear probe", "the model's normalised input, 32x32",
                "source", known, f -> f.features().input(), f -> sources.indexOf(String.valueOf(f.sample().source())), sources));
        out.add(probe("class_from_input_probe", "reference: class from the model's input, linear probe", "the model's normalised input, 32x32",
                "class", films, f -> f.features().input(), Film::label, classes));
        out.add(new Probe("classifier", "reference: the classifier on its real input", "the model's input", "class",
                BalancedAccuracy.of(truth, real, k), BalancedAccuracy.chance(truth, k), trainN, truth.length, Double.NaN, classes,
                BalancedAccuracy.recalls(truth, real, k)));
        return out;
    }

    /** Fits a probe on training films for each penalty, keeps the best on validation films, scores it on test films. */
    static Probe probe(String id, String question, String features, String target, List<Film> films,
                       java.util.function.Function<Film, float[]> x, java.util.function.ToIntFunction<Film> y, List<String> targets) {
        float[][] trX = rows(films, Part.TRAIN, x), vaX = rows(films, Part.VAL, x), teX = rows(films, Part.TEST, x);
        int[] trY = labels(films, Part.TRAIN, y), vaY = labels(films, Part.VAL, y), teY = labels(films, Part.TEST, y);
        int k = targets.size();
        if (trX.length == 0 || teX.length == 0) {
            return new Probe(id, question, features, target, Double.NaN, Double.NaN, trX.length, teX.length, Double.NaN, targets, new double[k]);
        }
        LogisticRegression best = null;
        double bestLambda = LAMBDAS[LAMBDAS.length / 2], bestVal = -1;
        for (double lambda : vaX.length == 0 ? new double[] {bestLambda} : LAMBDAS) {
            LogisticRegression lr = LogisticRegression.fit(trX, trY, k, lambda, ITERATIONS);
            double v = vaX.length == 0 ? 0 : BalancedAccuracy.of(vaY, lr.predict(vaX), k);
            if (v > bestVal) {
                bestVal = v;
                best = lr;
                bestLambda = lambda;
            }
        }
        int[] pred = best.predict(teX);
        return new Probe(id, question, features, target, BalancedAccuracy.of(teY, pred, k), BalancedAccuracy.chance(teY, k),
                trX.length, teX.length, bestLambda, targets, BalancedAccuracy.recalls(teY, pred, k));
    }

    private static float[][] rows(List<Film> films, Part part, java.util.function.Function<Film, float[]> x) {
        return films.stream().filter(f -> f.part() == part).map(x).toArray(float[][]::new);
    }

    private static int[] labels(List<Film> films, Part part, java.util.function.ToIntFunction<Film> y) {
        return films.stream().filter(f -> f.part() == part).mapToInt(y).toArray();
    }
}
