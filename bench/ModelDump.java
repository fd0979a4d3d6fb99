import ai.djl.Model;
import io.cxr4j.check.CheckCard;
import io.cxr4j.check.CheckInput;
import io.cxr4j.engine.Net;
import io.cxr4j.engine.NetSpec;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.model.ModelCard;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.segment.SegInput;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the parameters of the three shipped networks (input check, lung segmenter, classifier) for the Python
 * peer of bench/score_bench.sh (bench/score_peer.py), together with reference input tensors built by cxr4j's own
 * pipeline from a few films and cxr4j's outputs for them, so that the peer can check that its networks give the
 * same outputs on the same inputs.
 *
 * <pre>
 * java -cp cxr4j.jar:classes ModelDump --models models --out DIR FILM...
 * </pre>
 *
 * Writes DIR/input-check.bin, DIR/lung-segmenter.bin and DIR/classifier.bin, each (big-endian, Java
 * DataOutputStream):
 * <ul>
 *   <li>the parameters in DJL's order, as bench/TrainBench.java's snapshot: int count, then per array its name
 *       (writeUTF), int rank, int dims..., float values (bench/train_peer.py's read_snapshot reads it);</li>
 *   <li>int films, then each film's name (writeUTF) in the order of the tensors below;</li>
 *   <li>int input length, int output length per film, then the inputs (films x input length floats: exactly what
 *       cxr4j feeds the network) and cxr4j's raw outputs for them (one batched forward call).</li>
 * </ul>
 * Inputs: the check's 64 px z-scored square of the decoded film; the segmenter's 256 px padded, z-scored square of
 * the copy of at most 512 px that {@code XrayAnalyzer.analyze} segments; the classifier's 192 px z-scored lung crop
 * of that copy with the shipped segmenter's post-processed mask (a film whose mask is empty is left out of the
 * classifier's tensors only).
 */
public final class ModelDump {
    public static void main(String[] args) throws Exception {
        Path models = null, out = null;
        List<Path> films = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--models" -> models = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> films.add(Path.of(args[i]));
            }
        }
        if (models == null || out == null || films.isEmpty()) {
            System.err.println("usage: ModelDump --models DIR --out DIR FILM...");
            System.exit(2);
        }
        Files.createDirectories(out);
        List<String> names = new ArrayList<>();
        List<GrayImage> images = new ArrayList<>();
        for (Path f : films) {
            names.add(f.getFileName().toString());
            images.add(ImageReader.read(f));
        }

        // the input check: the whole film squashed to the network's square, z-scored
        Path checkDir = models.resolve("input-check");
        CheckCard check = CheckCard.read(checkDir);
        int cs = check.architecture().inputSize();
        float[] cx = new float[images.size() * cs * cs];
        for (int i = 0; i < images.size(); i++) CheckInput.toInput(CheckInput.square(images.get(i), cs), cx, i * cs * cs);
        dump(check.architecture(), checkDir.resolve(check.params()), names, cx, out.resolve("input-check.bin"));

        // the segmenter: as XrayAnalyzer.analyze, on the copy of at most 512 px
        Path segDir = models.resolve("lung-segmenter");
        ModelCard segCard = ModelCard.read(segDir);
        int ss = segCard.architecture().inputSize();
        float[] sx = new float[images.size() * ss * ss];
        List<GrayImage> work = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            GrayImage w = LungSegmenter.atWorkingSize(images.get(i));
            work.add(w);
            InputRecipe.normalise(SegInput.image(w, ss).pixels(), SegInput.area(w.width(), w.height(), ss).pixels(), sx, i * ss * ss);
        }
        dump(segCard.architecture(), segDir.resolve(segCard.members().get(0)), names, sx, out.resolve("lung-segmenter.bin"));

        // the classifier, as XrayAnalyzer.analyze: a lung-masked model's crop of the working copy with cxr4j's own
        // post-processed mask; a whole-film model's square of the film itself
        Path clsDir = models.resolve("classifier");
        ModelCard clsCard = ModelCard.read(clsDir);
        InputRecipe recipe = clsCard.input();
        int k = recipe.size();
        List<String> kept = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        try (LungSegmenter seg = LungSegmenter.load(segDir)) {
            for (int i = 0; i < work.size(); i++) {
                GrayImage mask = seg.segment(work.get(i));
                InputRecipe.Crop c;
                try {
                    c = recipe.usesMask() ? recipe.crop(work.get(i), mask) : recipe.crop(images.get(i), null);
                } catch (IllegalArgumentException e) {
                    System.err.println(names.get(i) + ": " + e.getMessage() + " (left out of the classifier's reference)");
                    continue;
                }
                float[] x = new float[k * k];
                InputRecipe.normalise(c.image().pixels(), c.region().pixels(), x, 0);
                rows.add(x);
                kept.add(names.get(i));
            }
        }
        float[] kx = new float[rows.size() * k * k];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, kx, i * k * k, k * k);
        // an ensemble's members one file each, on the same inputs: classifier.bin, classifier.1.bin, ...
        for (int m = 0; m < clsCard.members().size(); m++) {
            dump(clsCard.architecture(), clsDir.resolve(clsCard.members().get(m)), kept, kx,
                    out.resolve(m == 0 ? "classifier.bin" : "classifier." + m + ".bin"));
        }
    }

    static void dump(NetSpec spec, Path params, List<String> names, float[] x, Path file) throws Exception {
        try (Net net = Net.load(spec, params);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            int n = names.size();
            float[] y = n == 0 ? new float[0] : net.forward(x, n);
            Field f = Net.class.getDeclaredField("model");
            f.setAccessible(true);
            int arrays = TrainBench.writeParameters((Model) f.get(net), out);
            out.writeInt(n);
            for (String s : names) out.writeUTF(s);
            out.writeInt(n == 0 ? 0 : x.length / n);
            out.writeInt(n == 0 ? 0 : y.length / n);
            for (float v : x) out.writeFloat(v);
            for (float v : y) out.writeFloat(v);
            System.err.printf("%s: %d parameter arrays (%d values), %d reference films%n", file.getFileName(), arrays,
                    net.parameterCount(), n);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
