package io.cxr4j.segment;

import io.cxr4j.engine.Net;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;
import io.cxr4j.mask.MaskOps;
import io.cxr4j.model.ModelCard;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.file.Path;

/** A trained lung segmenter: X-ray in, binary lung mask (255 lung) at the image's original size out. */
public final class LungSegmenter implements AutoCloseable {
    /** Longest side at which predicted masks are post-processed before scaling to the original size. */
    static final int WORK_SIDE = 1024;

    private final ModelCard card;
    private final Net net;

    private LungSegmenter(ModelCard card, Net net) {
        this.card = card;
        this.net = net;
    }

    public static LungSegmenter load(Path dir) throws BadInputException {
        ModelCard card = ModelCard.read(dir);
        if (!"segmentation".equals(card.task())) throw new BadInputException("model is a " + card.task() + " model, not a lung segmenter");
        try {
            return new LungSegmenter(card, Net.load(card.architecture(), dir.resolve(card.members().get(0))));
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    public ModelCard card() { return card; }

    public int size() { return card.architecture().inputSize(); }

    /** Lung probabilities (size x size) for a batch of images already in the network's view. */
    public synchronized float[] probabilities(GrayImage[] inputs, GrayImage[] areas) {
        int s = size(), n = inputs.length;
        float[] x = new float[n * s * s];
        for (int i = 0; i < n; i++) InputRecipe.normalise(inputs[i].pixels(), areas[i].pixels(), x, i * s * s);
        float[] z = net.forward(x, n);
        for (int i = 0; i < z.length; i++) z[i] = (float) (1 / (1 + Math.exp(-z[i])));
        return z;
    }

    /** The lung mask of an image at its own size, with post-processing unless {@code raw}. */
    public synchronized GrayImage segment(GrayImage image, boolean raw) {
        int s = size();
        float[] p = probabilities(new GrayImage[] {SegInput.image(image, s)},
                new GrayImage[] {SegInput.area(image.width(), image.height(), s)});
        int w = image.width(), h = image.height();
        // post-process at a working resolution of at most WORK_SIDE px (a 4000 px film costs 16x less),
        // then bring the clean mask to the original size
        int[] work = fitWithin(w, h, WORK_SIDE);
        GrayImage m = SegInput.toOriginal(p, s, work[0], work[1]);
        if (!raw) m = PostProcess.apply(m);
        if (work[0] == w && work[1] == h) return m;
        return MaskOps.binarise(ImageOps.resize(m, w, h));
    }

    /** Width and height of a w x h image scaled down so that its longest side is at most {@code side}. */
    static int[] fitWithin(int w, int h, int side) {
        double f = Math.min(1.0, (double) side / Math.max(w, h));
        return new int[] {Math.max(1, (int) Math.round(w * f)), Math.max(1, (int) Math.round(h * f))};
    }

    public GrayImage segment(GrayImage image) {
        return segment(image, false);
    }

    /**
     * Longest side of the copy that {@code predict} segments and classifies: the segmenter sees 256 px and
     * the classifier a 192 px crop of the lungs, so 512 px keeps every detail either model can use.
     */
    public static final int PREDICT_SIDE = 512;

    /**
     * The image scaled down (area-averaged) so that its longest side is at most {@link #PREDICT_SIDE}, or
     * the image itself when it is that small already. Callers that only need a prediction (not a mask
     * at the film's full size) segment and classify this copy: a 4000 px film then costs little more
     * than a 512 px image.
     */
    public static GrayImage atWorkingSize(GrayImage image) {
        int[] work = fitWithin(image.width(), image.height(), PREDICT_SIDE);
        if (work[0] == image.width() && work[1] == image.height()) return image;
        return ImageOps.resize(image, work[0], work[1]);
    }

    @Override
    public void close() {
        net.close();
    }
}
