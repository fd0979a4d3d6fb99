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
import java.util.ArrayList;
import java.util.List;

/** A trained lung segmenter: X-ray in, binary lung mask (255 lung) at the image's original size out. */
public final class LungSegmenter implements AutoCloseable {
    /** Longest side at which predicted masks are post-processed before scaling to the original size. */
    static final int WORK_SIDE = 1024;

    private final ModelCard card;
    private final List<Net> nets;
    private volatile List<TestTimeViews.View> views;

    private final String id;

    private LungSegmenter(ModelCard card, List<Net> nets, String id) {
        this.card = card;
        this.nets = nets;
        this.id = id;
        this.views = TestTimeViews.first(Math.max(1, card.tta()));
    }

    /** Loads a segmenter folder; several parameter files (members) form an ensemble whose probabilities are averaged. */
    public static LungSegmenter load(Path dir) throws BadInputException {
        ModelCard card = ModelCard.read(dir);
        if (!"segmentation".equals(card.task())) throw new BadInputException("model is a " + card.task() + " model, not a lung segmenter");
        List<Net> nets = new ArrayList<>();
        try {
            java.security.MessageDigest md = MaskCache.sha256();
            md.update(java.nio.file.Files.readAllBytes(dir.resolve("model.json")));
            for (String m : card.members()) {
                nets.add(Net.load(card.architecture(), dir.resolve(m)));
                md.update(java.nio.file.Files.readAllBytes(dir.resolve(m)));
            }
            return new LungSegmenter(card, nets, "seg-" + java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16));
        } catch (IOException e) {
            nets.forEach(Net::close);
            throw new BadInputException(e.getMessage());
        }
    }

    public ModelCard card() { return card; }

    /** Identifies the segmenter by its model.json and parameters ("seg-" and 16 hex digits): keys cached masks. */
    public String id() { return id; }

    /** Masks of unannotated images from this segmenter, kept in {@code cache} (null: no cache). */
    public io.cxr4j.prep.MaskProvider provider(MaskCache cache) {
        if (cache == null) return (s, img) -> segment(img);
        return (s, img) -> cache.get(s.image(), img, id, () -> segment(img));
    }

    public int size() { return card.architecture().inputSize(); }

    /** Ensemble members (networks whose probabilities are averaged). */
    public int members() { return nets.size(); }

    /** Test-time views averaged per member (1 = the image alone). */
    public int views() { return views.size(); }

    /** Uses the first {@code n} of {@link TestTimeViews#ALL} instead of the model's own setting. */
    public synchronized void setViews(int n) {
        views = TestTimeViews.first(n);
    }

    /**
     * Lung probabilities (size x size) for a batch of images already in the network's view: the mean over
     * members and test-time views, each view's map brought back to the input's frame and counted only
     * where that view saw the image.
     */
    public synchronized float[] probabilities(GrayImage[] inputs, GrayImage[] areas) {
        int s = size(), n = inputs.length, plane = s * s;
        float[] sum = new float[n * plane], weight = new float[n * plane];
        for (TestTimeViews.View v : views) {
            // a view's map, brought back, is 0 where the view cut the image off; count each pixel only where seen
            float[] seen = v.identity() ? null : v.coverage(s);
            float[] x = new float[n * plane];
            for (int i = 0; i < n; i++) {
                byte[] img = inputs[i].pixels(), area = areas[i].pixels();
                if (seen != null) {
                    img = v.forward(img, s, false);
                    area = v.forward(area, s, true);
                }
                InputRecipe.normalise(img, area, x, i * plane);
            }
            for (Net net : nets) {
                float[] z = net.forward(x, n);
                for (int k = 0; k < z.length; k++) z[k] = (float) (1 / (1 + Math.exp(-z[k])));
                for (int i = 0; i < n; i++) {
                    // the image's own view adds in place; another view's map is first brought back to this frame
                    float[] p = seen == null ? z : v.back(java.util.Arrays.copyOfRange(z, i * plane, (i + 1) * plane), s);
                    int from = seen == null ? i * plane : 0;
                    for (int k = 0; k < plane; k++) {
                        sum[i * plane + k] += p[from + k];
                        weight[i * plane + k] += seen == null ? 1f : seen[k];
                    }
                }
            }
        }
        for (int k = 0; k < sum.length; k++) sum[k] = weight[k] > 0 ? sum[k] / weight[k] : 0;
        return sum;
    }

    /**
     * The lung mask of an image at its own size, with post-processing unless {@code raw}. Thread-safe: only the
     * network ({@link #probabilities}) runs one call at a time; preparing its input, bringing the map back and
     * post-processing run in the callers' threads in parallel.
     */
    public GrayImage segment(GrayImage image, boolean raw) {
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
        nets.forEach(Net::close);
    }
}
