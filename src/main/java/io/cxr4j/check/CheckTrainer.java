package io.cxr4j.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.data.Sample;
import io.cxr4j.engine.Net;
import io.cxr4j.engine.NetSpec;
import io.cxr4j.engine.NetTrainer;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;
import io.cxr4j.image.ImageReader;
import io.cxr4j.prep.MaskProvider;
import io.cxr4j.synth.Negatives;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trains the input check's network: frontal training films, the same films turned or inverted, real lateral
 * films and CT slices, parts of films (one lung), and synthetic pictures of {@link Negatives#TRAIN_KINDS},
 * each batch drawn at fixed shares with light augmentation. Then chooses the thresholds on validation films
 * (accept: the 0.5% quantile of p(frontal), at most 0.5; lung-shape and statistics limits so that almost no
 * validation film fails them) and writes model.json with them. A checkpoint after each epoch; resumable.
 */
public final class CheckTrainer {
    /** A real image that is not a frontal film, with what it is (lateral or CT). */
    public record Negative(Path file, CheckKind kind) {}

    public record Options(int size, int width, int epochs, int stepsPerEpoch, int batch, double lr, long seed, int threads) {
        public static Options defaults() { return new Options(64, 16, 8, 150, 64, 2e-3, 42, 2); }
    }

    private static final int SRC = 128; // films are kept at this square size; views and crops are cut from it
    /** Share of each kind in a batch, in CheckKind order. */
    private static final double[] SHARE = {0.36, 0.07, 0.07, 0.07, 0.09, 0.10, 0.10, 0.07, 0.07};

    private final PrintStream log;
    private double notFrontalShare = 0.6;

    public CheckTrainer(PrintStream log) { this.log = log; }

    /** The share of not-frontal patients that trained (recorded in model.json, so evaluation holds out the rest). */
    public CheckTrainer notFrontalShare(double s) {
        this.notFrontalShare = s;
        return this;
    }

    public CheckCard train(List<Sample> trainFilms, List<Sample> valFilms, List<Negative> negatives, MaskProvider lungs,
                           Path out, Options o, boolean resume) throws IOException {
        Files.createDirectories(out);
        List<GrayImage> pos = load("frontal films", trainFilms.stream().map(Sample::image).toList(), o.threads());
        Map<CheckKind, List<GrayImage>> real = new LinkedHashMap<>();
        for (CheckKind k : List.of(CheckKind.LATERAL, CheckKind.CT)) {
            real.put(k, load(k.id + " images", negatives.stream().filter(n -> n.kind() == k).map(Negative::file).toList(), o.threads()));
            if (real.get(k).isEmpty()) throw new IOException("no training images of kind " + k.id);
        }
        log.printf("training views from %d frontal films, %d lateral, %d CT, synthetic kinds %s%n", pos.size(),
                real.get(CheckKind.LATERAL).size(), real.get(CheckKind.CT).size(), Negatives.TRAIN_KINDS);
        NetSpec spec = NetSpec.cxrNet(o.size(), o.width(), List.of(1, 1, 1, 1), 0.1, CheckKind.values().length);
        Path ckpt = out.resolve("checkpoint.params"), ckptInfo = out.resolve("checkpoint.json");
        ObjectMapper json = CheckCard.JSON;
        int startEpoch = 0;
        Net net;
        if (resume && Files.exists(ckpt) && Files.exists(ckptInfo)) {
            net = Net.load(spec, ckpt);
            startEpoch = json.readTree(ckptInfo.toFile()).get("epochs_done").asInt();
            log.println("resuming after epoch " + startEpoch);
        } else {
            net = Net.create(spec, o.seed());
        }
        try (NetTrainer trainer = new NetTrainer(net, 1e-4)) {
            int k = CheckKind.values().length, s = o.size();
            float[] x = new float[o.batch() * s * s], t = new float[o.batch() * k], w = new float[o.batch()];
            Arrays.fill(w, 1f);
            int totalSteps = o.epochs() * o.stepsPerEpoch();
            for (int epoch = startEpoch; epoch < o.epochs(); epoch++) {
                Random r = new Random(o.seed() * 1000 + epoch);
                double lossSum = 0;
                long t0 = System.nanoTime();
                for (int step = 0; step < o.stepsPerEpoch(); step++) {
                    int global = epoch * o.stepsPerEpoch() + step;
                    trainer.setLearningRate(o.lr() * 0.5 * (1 + Math.cos(Math.PI * global / totalSteps)));
                    Arrays.fill(t, 0f);
                    for (int i = 0; i < o.batch(); i++) {
                        CheckKind kind = draw(r);
                        GrayImage v = view(kind, pos, real, r, s);
                        CheckInput.toInput(v, x, i * s * s);
                        t[i * k + kind.ordinal()] = 1f;
                    }
                    lossSum += trainer.step(x, o.batch(), t, w, null);
                }
                net.save(ckpt);
                AtomicFiles.writeString(ckptInfo, "{\"epochs_done\": " + (epoch + 1) + "}\n");
                log.printf("epoch %d/%d loss %.4f (%.0f s)%n", epoch + 1, o.epochs(), lossSum / o.stepsPerEpoch(), (System.nanoTime() - t0) / 1e9);
            }
        }
        net.save(out.resolve("check.params"));
        // thresholds on validation films
        CheckCard provisional = new CheckCard(CheckCard.FORMAT, spec, CheckKind.ids(), 0.5, 0.9, ImageStats.Limits.DEFAULT,
                LungShape.Limits.DEFAULT, "check.params", Map.of(), io.cxr4j.model.ModelCard.DISCLAIMER);
        CheckCard card;
        try (InputCheck check = InputCheck.of(provisional, net)) {
            card = choose(check, provisional, valFilms, lungs, o.threads());
        }
        card.write(out);
        return card;
    }

    private CheckCard choose(InputCheck check, CheckCard c, List<Sample> val, MaskProvider lungs, int threads) {
        int n = val.size();
        double[] pFront = new double[n], corr = new double[n], colour = new double[n], top = new double[n], area = new double[n], smaller = new double[n];
        boolean[] apart = new boolean[n];
        int[] fixedRight = new int[CheckKind.values().length];
        Arrays.fill(area, Double.NaN);
        Progress prog = Progress.forStderr("validate", n);
        Batch.run(java.util.stream.IntStream.range(0, n).boxed().toList(), threads, i -> val.get(i).image(), prog, i -> {
            Sample sm = val.get(i);
            ImageReader.Decoded d = ImageReader.decode(sm.image());
            GrayImage img = d.image();
            ImageStats st = ImageStats.measure(img, d.colourfulness());
            corr[i] = st.neighbourCorr();
            colour[i] = st.colourfulness();
            top[i] = st.topLevels();
            pFront[i] = check.probabilities(img)[0];
            for (CheckKind k : List.of(CheckKind.TURNED_90, CheckKind.TURNED_180, CheckKind.TURNED_270, CheckKind.INVERTED)) {
                GrayImage seen = Orientation.view(CheckInput.square(img, SRC), k);
                float[] p = check.probabilities(seen);
                if (InputCheck.strongestOther(p) == k && p[k.ordinal()] >= c.fix() && check.probabilities(Orientation.correct(seen, k))[0] >= 0.5) {
                    synchronized (fixedRight) { fixedRight[k.ordinal()]++; }
                }
            }
            if (lungs != null) {
                LungShape ls = LungShape.of(lungs.lungMask(sm, img));
                area[i] = ls.area();
                smaller[i] = ls.smallerLung();
                apart[i] = ls.sidesApart();
            }
        });
        double accept = Math.min(0.5, quantile(pFront, 0.005));
        ImageStats.Limits sl = c.statsLimits();
        sl = new ImageStats.Limits(sl.minSide(), sl.minStd(), Math.min(sl.minNeighbourCorr(), quantile(corr, 0.0) - 0.05),
                Math.max(sl.maxColourfulness(), quantile(colour, 1.0) + 5), Math.max(sl.maxTopLevels(), quantile(top, 1.0) + 0.05));
        LungShape.Limits ll = c.lungLimits();
        double[] areas = Arrays.stream(area).filter(v -> !Double.isNaN(v)).toArray();
        if (areas.length > 0) {
            ll = new LungShape.Limits(Math.min(ll.minArea(), 0.8 * quantile(areas, 0.002)), Math.max(ll.maxArea(), 1.2 * quantile(areas, 0.998)),
                    Math.min(ll.minSmallerLung(), 0.8 * quantile(smaller, 0.002)));
        }
        int refusedAtAccept = 0, notApart = 0;
        for (int i = 0; i < n; i++) {
            if (pFront[i] < accept) refusedAtAccept++;
            if (lungs != null && !apart[i]) notApart++;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("films", n);
        v.put("not_frontal_train_share", notFrontalShare);
        v.put("accept_quantile", 0.005);
        v.put("refused_by_network", refusedAtAccept);
        v.put("p_frontal_median", quantile(pFront, 0.5));
        v.put("p_frontal_min", quantile(pFront, 0.0));
        v.put("lung_fields_not_either_side", notApart);
        Map<String, Object> fixed = new LinkedHashMap<>();
        for (CheckKind k : List.of(CheckKind.TURNED_90, CheckKind.TURNED_180, CheckKind.TURNED_270, CheckKind.INVERTED)) {
            fixed.put(k.id, fixedRight[k.ordinal()] / (double) n);
        }
        v.put("corrected_right_share", fixed);
        log.printf("validation: %d films, accept p(frontal) >= %.4f (%d below), median p(frontal) %.4f; corrected right %s%n", n, accept,
                refusedAtAccept, quantile(pFront, 0.5), fixed);
        return new CheckCard(c.format(), c.architecture(), c.kinds(), accept, c.fix(), sl, ll, c.params(), v, c.disclaimer());
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        if (s.length == 0) return Double.NaN;
        int i = (int) Math.floor(q * (s.length - 1));
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    private List<GrayImage> load(String what, List<Path> files, int threads) {
        Map<Integer, GrayImage> out = new ConcurrentHashMap<>();
        Progress p = Progress.forStderr("load " + what, files.size());
        List<Batch.Failure> fails = Batch.run(java.util.stream.IntStream.range(0, files.size()).boxed().toList(), threads, files::get, p,
                i -> out.put(i, CheckInput.square(ImageReader.read(files.get(i)), SRC)));
        for (Batch.Failure f : fails) log.println(f);
        List<GrayImage> list = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) if (out.containsKey(i)) list.add(out.get(i));
        return list;
    }

    private static CheckKind draw(Random r) {
        double u = r.nextDouble(), acc = 0;
        for (int i = 0; i < SHARE.length; i++) {
            acc += SHARE[i];
            if (u < acc) return CheckKind.values()[i];
        }
        return CheckKind.OTHER;
    }

    /** One training view of a kind, at the network's size. */
    static GrayImage view(CheckKind kind, List<GrayImage> pos, Map<CheckKind, List<GrayImage>> real, Random r, int size) {
        GrayImage src = switch (kind) {
            case LATERAL, CT -> {
                List<GrayImage> l = real.get(kind);
                GrayImage g = l.get(r.nextInt(l.size()));
                yield r.nextBoolean() ? flipX(g) : g;
            }
            case PARTIAL -> partial(pos.get(r.nextInt(pos.size())), r);
            case OTHER -> CheckInput.square(Negatives.grey(Negatives.TRAIN_KINDS.get(r.nextInt(Negatives.TRAIN_KINDS.size())), SRC, SRC, r.nextLong()), SRC);
            default -> {
                GrayImage g = pos.get(r.nextInt(pos.size()));
                yield Orientation.view(r.nextDouble() < 0.3 ? flipX(g) : g, kind);
            }
        };
        GrayImage small = CheckInput.square(src, size);
        return jitter(small, r, kind != CheckKind.OTHER);
    }

    /** A part of a film: one side (one lung), the top or bottom half, or a close crop of the middle. */
    static GrayImage partial(GrayImage g, Random r) {
        int w = g.width(), h = g.height();
        int cw = (int) (w * (0.35 + 0.15 * r.nextDouble())), c = (int) (w * (0.3 + 0.15 * r.nextDouble()));
        ImageOps.Rect rect = switch (r.nextInt(4)) {
            case 0 -> new ImageOps.Rect(0, 0, cw, h);
            case 1 -> new ImageOps.Rect(w - cw, 0, w, h);
            case 2 -> { int y0 = r.nextBoolean() ? 0 : h / 2; yield new ImageOps.Rect(0, y0, w, y0 + h / 2); }
            default -> { int x0 = r.nextInt(w - c), y0 = r.nextInt(h - c); yield new ImageOps.Rect(x0, y0, x0 + c, y0 + c); }
        };
        return ImageOps.crop(g, rect);
    }

    static GrayImage flipX(GrayImage g) {
        int w = g.width(), h = g.height();
        byte[] p = g.pixels(), o = new byte[p.length];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) o[y * w + x] = p[y * w + w - 1 - x];
        return new GrayImage(w, h, o);
    }

    /** Small rotation, scale and shift, then contrast and gamma. */
    static GrayImage jitter(GrayImage g, Random r, boolean geometric) {
        int s = g.width();
        byte[] dst = new byte[s * s];
        if (geometric) {
            ImageOps.affine(g.pixels(), s, Math.toRadians(r.nextGaussian() * 5), 1 + 0.08 * r.nextGaussian(), r.nextGaussian() * s * 0.03,
                    r.nextGaussian() * s * 0.03, dst, false);
        } else {
            System.arraycopy(g.pixels(), 0, dst, 0, dst.length);
        }
        double gamma = Math.exp(0.25 * r.nextGaussian());
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) lut[i] = (int) Math.round(255 * Math.pow(i / 255.0, gamma));
        for (int i = 0; i < dst.length; i++) dst[i] = (byte) lut[dst[i] & 0xFF];
        return new GrayImage(s, s, dst);
    }
}
