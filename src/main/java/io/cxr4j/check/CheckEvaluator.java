package io.cxr4j.check;

import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.prep.MaskProvider;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.synth.Negatives;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * Runs the whole input check (statistics, network, corrections, then the segmented lungs' shape) over
 * held-out inputs and counts per kind: test-patient frontal films as they are, the same films turned,
 * inverted and cut to one part; real laterals and CT slices the check did not train on; synthetic pictures
 * of trained and never-trained kinds; and any folder of other images.
 */
public final class CheckEvaluator {
    private final InputCheck check;
    private final LungSegmenter segmenter;
    private final MaskProvider cachedLungs;
    private final int threads;

    public CheckEvaluator(InputCheck check, LungSegmenter segmenter, MaskProvider cachedLungs, int threads) {
        this.check = check;
        this.segmenter = segmenter;
        this.cachedLungs = cachedLungs;
        this.threads = threads;
    }

    private static final class Counter {
        int n, refused, right, wrong, accepted;
        final Map<String, Integer> reasons = new LinkedHashMap<>();

        synchronized void add(String outcome, String reason) {
            n++;
            switch (outcome) {
                case "refused" -> { refused++; reasons.merge(reason.replaceAll(" \\(.*", ""), 1, Integer::sum); }
                case "right" -> right++;
                case "wrong" -> wrong++;
                default -> accepted++;
            }
        }

        CheckEvaluation.Row row(String kind, String group, boolean heldOut) {
            return new CheckEvaluation.Row(kind, group, heldOut, n, refused, right, wrong, accepted, Map.copyOf(reasons));
        }
    }

    /** The full check on one picture whose true upright film (if any) is {@code upright} with lungs {@code uprightMask}. */
    private String[] judge(GrayImage seen, double colourfulness, GrayImage upright, GrayImage uprightMask) throws Exception {
        Verdict v = check.check(seen, null, colourfulness);
        if (!v.accepted()) return new String[] {"refused", v.reason()};
        GrayImage img = v.image();
        boolean backUpright = upright != null && img.width() == upright.width() && img.height() == upright.height()
                && java.util.Arrays.equals(img.pixels(), upright.pixels());
        GrayImage mask = backUpright && uprightMask != null ? uprightMask : segmenter.segment(LungSegmenter.atWorkingSize(img));
        String lungs = check.lungReason(mask);
        if (lungs != null) return new String[] {"refused", lungs};
        if (!v.corrections().isEmpty()) return new String[] {backUpright ? "right" : "wrong", null};
        return new String[] {"accepted", null};
    }

    public CheckEvaluation evaluate(List<Sample> frontal, List<NotFrontalSet.Item> notFrontal, int syntheticPerKind, List<Path> others, long seed) {
        Map<String, Counter> c = new ConcurrentHashMap<>();
        java.util.function.Function<String, Counter> at = k -> c.computeIfAbsent(k, x -> new Counter());
        Progress p1 = Progress.forStderr("check frontal films and their views", frontal.size());
        List<Batch.Failure> fails = new ArrayList<>(Batch.run(frontal, threads, Sample::image, p1, s -> {
            ImageReader.Decoded d = ImageReader.decode(s.image());
            GrayImage img = d.image();
            GrayImage mask = cachedLungs.lungMask(s, img);
            Random r = new Random(seed ^ s.file().hashCode());
            String[] o = judge(img, d.colourfulness(), img, mask);
            at.apply("frontal").add(o[0], o[1]);
            for (CheckKind k : List.of(CheckKind.TURNED_90, CheckKind.TURNED_180, CheckKind.TURNED_270, CheckKind.INVERTED)) {
                String[] q = judge(Orientation.view(img, k), d.colourfulness(), img, mask);
                at.apply(k.id).add(q[0], q[1]);
            }
            String[] q = judge(CheckTrainer.partial(img, r), d.colourfulness(), null, null);
            at.apply("one part of a film").add(q[0], q[1]);
        }));
        Progress p2 = Progress.forStderr("check not-frontal images", notFrontal.size());
        fails.addAll(Batch.run(notFrontal, threads, NotFrontalSet.Item::file, p2, it -> {
            ImageReader.Decoded d = ImageReader.decode(it.file());
            String[] o = judge(d.image(), d.colourfulness(), null, null);
            at.apply(it.kind().id + (it.train() ? " (trained on)" : "")).add(o[0], o[1]);
        }));
        List<String> kinds = new ArrayList<>(Negatives.TRAIN_KINDS);
        kinds.addAll(Negatives.HELD_OUT_KINDS);
        List<int[]> jobs = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) for (int i = 0; i < syntheticPerKind; i++) jobs.add(new int[] {k, i});
        Progress p3 = Progress.forStderr("check synthetic pictures", jobs.size());
        fails.addAll(Batch.run(jobs, threads, j -> Path.of(kinds.get(j[0]) + "-" + j[1] + ".png"), p3, j -> {
            Random r = new Random(seed * 31 + j[0] * 10007L + j[1]);
            int w = 256 + r.nextInt(768), h = 256 + r.nextInt(768);
            byte[] png = png(Negatives.colour(kinds.get(j[0]), w, h, r.nextLong()));
            ImageReader.Decoded d = ImageReader.decode(png, "synthetic");
            String[] o = judge(d.image(), d.colourfulness(), null, null);
            at.apply("synthetic " + kinds.get(j[0])).add(o[0], o[1]);
        }));
        Progress p4 = Progress.forStderr("check other images", others.size());
        fails.addAll(Batch.run(others, threads, f -> f, p4, f -> {
            ImageReader.Decoded d = ImageReader.decode(f);
            String[] o = judge(d.image(), d.colourfulness(), null, null);
            at.apply("other images").add(o[0], o[1]);
        }));
        for (Batch.Failure f : fails) System.err.println(f);
        List<CheckEvaluation.Row> rows = new ArrayList<>();
        rows.add(c.getOrDefault("frontal", new Counter()).row("frontal (test patients)", "frontal", false));
        for (String k : List.of("turned_90", "turned_180", "turned_270", "inverted", "one part of a film")) {
            if (c.containsKey(k)) rows.add(c.get(k).row(k, "view", false));
        }
        for (String k : List.of("lateral", "ct", "lateral (trained on)", "ct (trained on)")) {
            if (c.containsKey(k)) rows.add(c.get(k).row(k, "not-frontal", !k.contains("trained")));
        }
        for (String k : kinds) {
            String key = "synthetic " + k;
            if (c.containsKey(key)) rows.add(c.get(key).row(key, "not-frontal", Negatives.HELD_OUT_KINDS.contains(k)));
        }
        if (c.containsKey("other images")) rows.add(c.get("other images").row("other images", "not-frontal", true));
        return new CheckEvaluation(rows);
    }

    static byte[] png(java.awt.image.BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
