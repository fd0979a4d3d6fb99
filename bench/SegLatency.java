import io.cxr4j.engine.Net;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.model.Classifier;
import io.cxr4j.segment.LungSegmenter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Latency of lung segmentation at the original image size (decode + segment + resize back +
 * post-processing) and of end-to-end predict on an unannotated image (decode + copy at <= 512 px +
 * segment + classify),
 * one image at a time, as `cxr predict` does for a single file.
 *
 * Usage: SegLatency SEG_DIR CLASSIFIER_DIR IMAGE_FOLDER... [--threads N] [--repeat R]
 */
public class SegLatency {
    public static void main(String[] args) throws Exception {
        int threads = 2, repeat = 3;
        List<Path> dirs = new ArrayList<>();
        Path seg = Path.of(args[0]), cls = Path.of(args[1]);
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--threads")) threads = Integer.parseInt(args[++i]);
            else if (args[i].equals("--repeat")) repeat = Integer.parseInt(args[++i]);
            else dirs.add(Path.of(args[i]));
        }
        Net.configureThreads(threads);
        List<Path> images = new ArrayList<>();
        for (Path d : dirs) {
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.toString().matches(".*\\.(png|jpe?g)$")).sorted().forEach(images::add);
            }
        }
        try (LungSegmenter s = LungSegmenter.load(seg); Classifier c = Classifier.load(cls)) {
            // warm-up
            for (int i = 0; i < Math.min(10, images.size()); i++) {
                GrayImage img = ImageReader.read(images.get(i));
                c.predict(img, s.segment(img));
            }
            List<Double> segMs = new ArrayList<>(), e2eMs = new ArrayList<>();
            long pixels = 0;
            for (int r = 0; r < repeat; r++) {
                for (Path p : images) {
                    // `cxr segment`: decode, mask at the original size
                    long t0 = System.nanoTime();
                    GrayImage img = ImageReader.read(p);
                    s.segment(img);
                    long t1 = System.nanoTime();
                    // `cxr predict` on an unannotated image: decode, working-size copy, segment, classify
                    GrayImage again = ImageReader.read(p);
                    GrayImage work = LungSegmenter.atWorkingSize(again);
                    c.predict(work, s.segment(work));
                    long t2 = System.nanoTime();
                    segMs.add((t1 - t0) / 1e6);
                    e2eMs.add((t2 - t1) / 1e6);
                    if (r == 0) pixels += (long) img.width() * img.height();
                }
            }
            System.out.printf(Locale.ROOT, "{\"images\": %d, \"mean_megapixels\": %.2f, \"threads\": %d, \"repeat\": %d, "
                            + "\"segment_ms\": {\"p50\": %.1f, \"p95\": %.1f}, \"predict_end_to_end_ms\": {\"p50\": %.1f, \"p95\": %.1f}}%n",
                    images.size(), pixels / 1e6 / images.size(), threads, repeat, pct(segMs, 50), pct(segMs, 95), pct(e2eMs, 50), pct(e2eMs, 95));
        }
    }

    static double pct(List<Double> v, double p) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[Math.min(a.length - 1, (int) Math.round(p / 100 * (a.length - 1)))];
    }
}
