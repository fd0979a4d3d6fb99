package io.cxr4j.model;

import io.cxr4j.engine.Net;
import io.cxr4j.eval.Softmax;
import io.cxr4j.explain.Explanation;
import io.cxr4j.image.GrayImage;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.prep.Augment;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A trained classifier loaded from a model folder: turns an X-ray and its lung mask into class
 * probabilities, exactly as during training (same crop, size and normalisation). With several
 * members (an ensemble) or test-time augmentation the probabilities are averaged.
 */
public final class Classifier implements AutoCloseable {
    private final ModelCard card;
    private final List<Net> nets = new ArrayList<>();
    private int tta;
    private double temperature;

    private Classifier(ModelCard card) {
        this.card = card;
        this.tta = card.tta();
        this.temperature = card.temperatureOrOne();
    }

    /** The temperature logits are divided by (from model.json; 1 = uncalibrated). */
    public double temperature() { return temperature; }

    public void setTemperature(double t) {
        if (!(t > 0)) throw new IllegalArgumentException("temperature must be > 0");
        this.temperature = t;
    }

    /** Number of extra test-time views averaged (0 = the image only). */
    public void setTta(int views) {
        if (views < 0) throw new IllegalArgumentException("tta must be >= 0");
        this.tta = views;
    }

    public int tta() { return tta; }

    public static Classifier load(Path dir) throws BadInputException {
        ModelCard card = ModelCard.read(dir);
        if (!"classification".equals(card.task())) throw new BadInputException("model is a " + card.task() + " model, not a classifier");
        Classifier c = new Classifier(card);
        try {
            for (String m : card.members()) c.nets.add(Net.load(card.architecture(), dir.resolve(m)));
        } catch (IOException e) {
            c.close();
            throw new BadInputException(e.getMessage());
        }
        return c;
    }

    public ModelCard card() { return card; }

    public InputRecipe recipe() { return card.input(); }

    /** Probabilities for one image and its lung mask (the mask may be null for whole-image models). */
    public float[] predict(GrayImage image, GrayImage lungMask) {
        return predictCrops(List.of(recipe().crop(image, lungMask))).get(0);
    }

    /** Probabilities for prepared crops, in batches (members and views averaged, at the model's temperature). */
    public List<float[]> predictCrops(List<InputRecipe.Crop> crops) {
        List<float[]> out = new ArrayList<>();
        for (float[][] z : logitsCrops(crops)) out.add(io.cxr4j.eval.Calibration.probabilities(z, temperature));
        return out;
    }

    /**
     * Raw logits for prepared crops: for each crop, one row per member and test-time view
     * ({@code members x (tta + 1)} rows of {@code classes} values). {@link io.cxr4j.eval.Calibration#probabilities} turns them into
     * the model's output at any temperature, so calibration can be fitted without running the network again.
     */
    public List<float[][]> logitsCrops(List<InputRecipe.Crop> crops) {
        int s = recipe().size(), k = card.classes().size();
        int views = tta + 1;
        List<float[][]> out = new ArrayList<>();
        int bs = 32;
        for (int start = 0; start < crops.size(); start += bs) {
            int n = Math.min(bs, crops.size() - start);
            float[][][] rows = new float[n][views * nets.size()][];
            for (int v = 0; v < views; v++) {
                float[] x = new float[n * s * s];
                for (int i = 0; i < n; i++) {
                    InputRecipe.Crop c = crops.get(start + i);
                    byte[] img = c.image().pixels(), reg = c.region().pixels();
                    if (v > 0) {
                        byte[] ai = new byte[img.length], ar = new byte[reg.length];
                        TTA.apply(img, reg, s, new Random(v * 7919L), ai, ar);
                        img = ai;
                        reg = ar;
                    }
                    InputRecipe.normalise(img, reg, x, i * s * s);
                }
                for (int m = 0; m < nets.size(); m++) {
                    float[] logits = nets.get(m).forward(x, n);
                    for (int i = 0; i < n; i++) rows[i][v * nets.size() + m] = java.util.Arrays.copyOfRange(logits, i * k, i * k + k);
                }
            }
            for (float[][] r : rows) out.add(r);
        }
        return out;
    }

    /**
     * Where the model looked on one film (Grad-CAM on the last stage, {@code engine.Net#forwardExplained}) for the
     * class it predicts there: the members' maps for that class averaged (test-time views are not used; the map is
     * of the image as given). Callers serialise calls as for {@link #predict}.
     */
    public Explanation explain(GrayImage image, GrayImage lungMask) {
        return predictExplained(image, lungMask).explanation();
    }

    /** {@link #explain(GrayImage, GrayImage)} for a given class index (e.g. the one already predicted). */
    public Explanation explain(GrayImage image, GrayImage lungMask, int cls) {
        InputRecipe.Crop crop = recipe().crop(image, lungMask);
        List<Net.Explained> passes = explainedPasses(crop);
        return explanation(passes, cls, image, lungMask, crop);
    }

    /** A film's probabilities and the heat map for the class they predict, from one pass of each network. */
    public record Explained(float[] probabilities, Explanation explanation) {}

    /**
     * {@link #predict} and {@link #explain(GrayImage, GrayImage)} together. Without test-time views the networks run
     * once: the logits and the heat maps come from the same pass (the probabilities are those {@link #predict}
     * gives); with views the prediction averages them and the map is of the image as given.
     */
    public Explained predictExplained(GrayImage image, GrayImage lungMask) {
        return predictExplained(image, lungMask, recipe().crop(image, lungMask));
    }

    /** {@link #predictExplained(GrayImage, GrayImage)} with the film's crop already made ({@code recipe().crop(image, lungMask)}). */
    public Explained predictExplained(GrayImage image, GrayImage lungMask, InputRecipe.Crop crop) {
        List<Net.Explained> passes = explainedPasses(crop);
        float[] p;
        if (tta == 0) {
            float[][] rows = new float[passes.size()][];
            for (int m = 0; m < rows.length; m++) rows[m] = passes.get(m).logits();
            p = io.cxr4j.eval.Calibration.probabilities(rows, temperature);
        } else {
            p = predictCrops(List.of(crop)).get(0);
        }
        return new Explained(p, explanation(passes, io.cxr4j.eval.Metrics.argmax(p), image, lungMask, crop));
    }

    private List<Net.Explained> explainedPasses(InputRecipe.Crop crop) {
        int s = recipe().size();
        float[] x = new float[s * s];
        InputRecipe.normalise(crop.image().pixels(), crop.region().pixels(), x, 0);
        List<Net.Explained> out = new ArrayList<>();
        for (Net n : nets) out.add(n.forwardExplained(x));
        return out;
    }

    private Explanation explanation(List<Net.Explained> passes, int cls, GrayImage image, GrayImage lungMask, InputRecipe.Crop crop) {
        int k = card.classes().size();
        if (cls < 0 || cls >= k) throw new IllegalArgumentException("class " + cls + " of " + k);
        int side = passes.get(0).side();
        float[] sum = new float[side * side];
        for (Net.Explained e : passes) {
            float[] map = e.map(cls);
            for (int i = 0; i < sum.length; i++) sum[i] += map[i] / passes.size();
        }
        return new Explanation(cls, sum, side, recipe().cropRect(image, lungMask), image.width(), image.height(), crop.region());
    }

    /** Test-time views: mild geometric jitter only (no intensity change). */
    static final Augment TTA = new Augment(5, 0.05, 0.03, 0, 0, 0);

    @Override
    public void close() {
        for (Net n : nets) n.close();
        nets.clear();
    }
}
