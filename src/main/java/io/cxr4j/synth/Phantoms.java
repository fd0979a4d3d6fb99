package io.cxr4j.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxr4j.data.Csv;
import io.cxr4j.data.Label;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageWriter;
import io.cxr4j.mask.LungMasks;
import io.cxr4j.mask.Region;
import io.cxr4j.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Synthetic chest-X-ray-like phantoms in the V7/Darwin layout, for demos and tests. NOT real X-rays.
 * Each image has a body, two lung fields (random smooth polygons), ribs, a heart shadow and noise;
 * the four classes differ by what fills the lungs:
 * <ul>
 *   <li>healthy: nothing but the normal structure;</li>
 *   <li>bacterial pneumonia: one dense, well-defined (lobar) consolidation in one lung;</li>
 *   <li>viral pneumonia: diffuse bilateral fine streaky (interstitial) pattern around the hila;</li>
 *   <li>COVID-19: patchy, faint, peripheral and lower-zone opacities in both lungs.</li>
 * </ul>
 */
public final class Phantoms {
    public static final String DATASET_NAME = "cxr4j synthetic phantoms (NOT real X-rays)";
    public static final String SOURCE = "synthetic";

    private Phantoms() {}

    /** One generated phantom: pixels, regions (Lung polygons, maybe an Ignore marker) and label. */
    public record Phantom(GrayImage image, List<Region> regions, Label label) {}

    /** Writes {@code n} phantoms (classes balanced) under {@code out} in the Darwin layout. */
    public static void writeDataset(Path out, int n, int size, long seed) throws IOException {
        Path images = out.resolve("images"), anns = out.resolve("annotations"), masks = out.resolve("masks");
        Files.createDirectories(images);
        Files.createDirectories(anns);
        Files.createDirectories(masks);
        Random rnd = new Random(seed);
        StringBuilder meta = new StringBuilder("file,label,patient_id,view,source,orig_width,orig_height,stored_width,stored_height,license,finding\n");
        int patient = 0, leftForPatient = 0;
        Label[] labels = Label.values();
        Label patientLabel = null;
        for (int i = 0; i < n; i++) {
            if (leftForPatient == 0) {
                patient++;
                leftForPatient = rnd.nextDouble() < 0.25 ? 2 : 1;
                patientLabel = labels[i % labels.length];
            }
            leftForPatient--;
            Label label = patientLabel;
            Phantom p = generate(label, size, rnd);
            boolean jpeg = i % 5 == 4;
            String stem = String.format("synth-%04d-%s", i + 1, label.id());
            String file = stem + (jpeg ? ".jpg" : ".png");
            Path imgPath = images.resolve(file);
            if (jpeg) {
                AtomicFiles.write(imgPath, o -> ImageIO.write(ImageWriter.toBufferedImage(p.image()), "jpeg", o));
            } else {
                ImageWriter.writePng(p.image(), imgPath);
            }
            ImageWriter.writePng(LungMasks.semantic(size, size, p.regions()), masks.resolve(stem + ".png"));
            AtomicFiles.writeBytes(anns.resolve(stem + ".json"), darwinJson(file, size, size, p.regions(), label));
            String pid = String.format("synth-p%04d", patient);
            meta.append(Csv.line(file, label.id(), pid, "PA", SOURCE, size, size, size, size, "CC0 (synthetic)", "synthetic/" + label.id()));
        }
        AtomicFiles.writeString(out.resolve("metadata.csv"), meta.toString());
        AtomicFiles.writeString(out.resolve("README.txt"), """
                SYNTHETIC DATA. These are computer-generated phantoms made by `cxr demo-data`, not X-rays of
                people. They imitate the V7/Darwin layout (images/, annotations/ Darwin JSON 1.0, masks/,
                metadata.csv) so that cxr4j can be demonstrated and tested without real data. The class
                patterns are invented and say nothing about real disease. Not for any medical use.
                """);
    }

    static byte[] darwinJson(String file, int w, int h, List<Region> regions, Label label) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        ObjectNode image = root.putObject("image");
        image.put("width", w);
        image.put("height", h);
        image.put("filename", file);
        image.put("original_filename", file);
        root.put("dataset", DATASET_NAME);
        root.put("annotated", true);
        ArrayNode anns = root.putArray("annotations");
        for (Region r : regions) {
            ObjectNode a = anns.addObject();
            a.put("name", r.name());
            ArrayNode path = a.putObject("polygon").putArray("path");
            double[] p = r.paths().get(0);
            for (int k = 0; k < p.length; k += 2) {
                ObjectNode pt = path.addObject();
                pt.put("x", Math.round(p[k] * 100) / 100.0);
                pt.put("y", Math.round(p[k + 1] * 100) / 100.0);
            }
        }
        if (label == Label.COVID19) anns.addObject().put("name", Label.VIRAL_PNEUMONIA.v7Tag()).putObject("tag");
        anns.addObject().put("name", label.v7Tag()).putObject("tag");
        anns.addObject().put("name", "Synthetic").putObject("tag");
        return om.writeValueAsBytes(root);
    }

    /** Generates one phantom of the given class; deterministic for the state of {@code rnd}. */
    public static Phantom generate(Label label, int size, Random rnd) {
        float[] img = new float[size * size];
        double s = size;
        // body: a wide ellipse, soft tissue grey
        double bodyRx = s * (0.44 + 0.03 * rnd.nextGaussian() * 0.5), bodyRy = s * 0.52;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = (x + 0.5 - s / 2) / bodyRx, dy = (y + 0.5 - s * 0.55) / bodyRy;
                double r = dx * dx + dy * dy;
                img[y * size + x] = (float) (r < 1 ? 150 - 30 * r : 20);
            }
        }
        // lungs: smooth random polygons
        double[] left = lungPolygon(s * (0.31 + 0.015 * rnd.nextGaussian()), s * (0.47 + 0.015 * rnd.nextGaussian()),
                s * (0.13 + 0.01 * rnd.nextGaussian()), s * (0.27 + 0.015 * rnd.nextGaussian()), rnd, s);
        double[] right = lungPolygon(s * (0.69 + 0.015 * rnd.nextGaussian()), s * (0.47 + 0.015 * rnd.nextGaussian()),
                s * (0.13 + 0.01 * rnd.nextGaussian()), s * (0.27 + 0.015 * rnd.nextGaussian()), rnd, s);
        List<Region> regions = new ArrayList<>();
        regions.add(new Region(Region.LUNG, List.of(left)));
        regions.add(new Region(Region.LUNG, List.of(right)));
        GrayImage lungMask = LungMasks.lungOnly(LungMasks.semantic(size, size, regions));
        byte[] lm = lungMask.pixels();
        for (int i = 0; i < img.length; i++) if (lm[i] != 0) img[i] = 55;
        // ribs: bright curved bands
        double ribPeriod = s * (0.075 + 0.01 * rnd.nextDouble()), ribPhase = rnd.nextDouble() * 6.28;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                double curve = 0.25 * Math.pow((x - s / 2) / s * 2, 2) * s * 0.3;
                double v = Math.sin(2 * Math.PI * (y + curve) / ribPeriod + ribPhase);
                if (v > 0.6) img[i] += (float) (25 * (v - 0.6) / 0.4);
            }
        }
        // heart: bright blob left of centre (patient's left = image right), lower
        blob(img, size, s * (0.55 + 0.02 * rnd.nextGaussian()), s * 0.62, s * 0.12, s * 0.14, 70, 3.0);
        // class pattern inside the lungs
        float[] pat = new float[img.length];
        switch (label) {
            case HEALTHY -> { }
            case BACTERIAL_PNEUMONIA -> {
                double[] lung = rnd.nextBoolean() ? left : right;
                double[] c = centroid(lung);
                double cy = c[1] + s * (0.02 + 0.08 * rnd.nextDouble());
                blob(pat, size, c[0] + s * 0.02 * rnd.nextGaussian(), cy, s * (0.06 + 0.02 * rnd.nextDouble()),
                        s * (0.07 + 0.03 * rnd.nextDouble()), 75, 8.0);
                if (rnd.nextDouble() < 0.3) {
                    blob(pat, size, c[0], c[1] - s * 0.1, s * 0.04, s * 0.04, 55, 8.0);
                }
            }
            case VIRAL_PNEUMONIA -> {
                // fine oblique streaks radiating from the hila, both lungs
                double f = s / (5.0 + rnd.nextDouble());
                double ang = rnd.nextDouble() * Math.PI;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double hx = x < s / 2 ? s * 0.38 : s * 0.62;
                        double d = Math.hypot(x - hx, y - s * 0.45) / s;
                        double streak = Math.sin((x * Math.cos(ang) + y * Math.sin(ang)) / f * 2 * Math.PI * 6)
                                * Math.sin((x * Math.sin(ang) - y * Math.cos(ang)) / f * 2 * Math.PI * 2.3);
                        double w = Math.exp(-d * d / 0.03);
                        pat[y * size + x] = (float) (w * (18 + 26 * Math.max(0, streak)));
                    }
                }
            }
            case COVID19 -> {
                // several faint patches near the outer, lower lung borders, both sides
                int patches = 4 + rnd.nextInt(4);
                for (int k = 0; k < patches; k++) {
                    boolean l = k % 2 == 0;
                    double px = l ? s * (0.21 + 0.05 * rnd.nextDouble()) : s * (0.74 + 0.05 * rnd.nextDouble());
                    double py = s * (0.5 + 0.17 * rnd.nextDouble());
                    blob(pat, size, px, py, s * (0.035 + 0.02 * rnd.nextDouble()), s * (0.05 + 0.02 * rnd.nextDouble()), 38, 2.0);
                }
            }
        }
        for (int i = 0; i < img.length; i++) if (lm[i] != 0) img[i] += pat[i];
        // an occasional bright marker, annotated as Ignore
        if (rnd.nextDouble() < 0.2) {
            int mx = (int) (s * 0.2), my = (int) (s * 0.22), ms = Math.max(3, (int) (s * 0.04));
            for (int y = my; y < my + ms; y++) for (int x = mx; x < mx + ms; x++) img[y * size + x] = 240;
            regions.add(new Region(Region.IGNORE, List.of(new double[] {mx, my, mx + ms, my, mx + ms, my + ms, mx, my + ms})));
        }
        // acquisition: global gain/offset and noise
        double gain = 0.85 + 0.3 * rnd.nextDouble(), offset = 10 * rnd.nextGaussian(), noise = 3 + 2 * rnd.nextDouble();
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) {
            double v = img[i] * gain + offset + noise * rnd.nextGaussian();
            out[i] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
        }
        return new Phantom(new GrayImage(size, size, out), regions, label);
    }

    private static double[] lungPolygon(double cx, double cy, double rx, double ry, Random rnd, double s) {
        int n = 48;
        double a1 = 0.08 * rnd.nextGaussian(), p1 = rnd.nextDouble() * 6.28, a2 = 0.05 * rnd.nextGaussian(), p2 = rnd.nextDouble() * 6.28;
        double[] xy = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double t = 2 * Math.PI * k / n;
            double r = 1 + a1 * Math.sin(2 * t + p1) + a2 * Math.sin(3 * t + p2);
            // flatten the bottom (diaphragm) a little
            double yy = Math.sin(t);
            if (yy > 0.6) yy = 0.6 + (yy - 0.6) * 0.5;
            // rounded to 0.01 px, as written to the JSON, so masks rendered from either agree exactly
            xy[2 * k] = Math.round(100 * Math.max(0.5, Math.min(s - 0.5, cx + rx * r * Math.cos(t)))) / 100.0;
            xy[2 * k + 1] = Math.round(100 * Math.max(0.5, Math.min(s - 0.5, cy + ry * r * yy / 0.8))) / 100.0;
        }
        return xy;
    }

    private static double[] centroid(double[] xy) {
        double x = 0, y = 0;
        int n = xy.length / 2;
        for (int k = 0; k < n; k++) { x += xy[2 * k]; y += xy[2 * k + 1]; }
        return new double[] {x / n, y / n};
    }

    /** Adds a soft-edged elliptical blob (super-Gaussian of the given sharpness). */
    private static void blob(float[] img, int size, double cx, double cy, double rx, double ry, double amp, double sharp) {
        int x0 = Math.max(0, (int) (cx - 3 * rx)), x1 = Math.min(size, (int) (cx + 3 * rx) + 1);
        int y0 = Math.max(0, (int) (cy - 3 * ry)), y1 = Math.min(size, (int) (cy + 3 * ry) + 1);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
                double r2 = dx * dx + dy * dy;
                img[y * size + x] += (float) (amp * Math.exp(-Math.pow(r2, sharp / 2)));
            }
        }
    }
}
