import io.cxr4j.data.Dataset;
import io.cxr4j.data.DarwinFile;
import io.cxr4j.data.DarwinReader;
import io.cxr4j.data.DatasetReader;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;
import io.cxr4j.image.ImageReader;
import io.cxr4j.mask.LungCrop;
import io.cxr4j.mask.LungMasks;
import io.cxr4j.mask.MaskOps;
import io.cxr4j.prep.Prepared;
import io.cxr4j.util.BadInputException;

import java.io.BufferedOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Masking throughput benchmark for cxr4j: decode + rasterise the annotation's polygons + AND + crop
 * (5% margin, square) + bilinear resize to 224x224, per image, via {@link Prepared#load}.
 *
 * <pre>
 * java -cp target/cxr4j.jar:bench/out/classes MaskBench DATASET --threads N --repeat R
 *      [--profile]              single-thread per-stage timing instead of the throughput run
 *      [--dump FILE --every K]  write every K-th output (not timed) for a cross-check with the peer
 *      [--stride K]             use every K-th image only (as mask_peer.py --stride K)
 *      [--limit N]              use only the first N images (after --stride)
 * </pre>
 *
 * Prints one JSON line. Nothing is written to disk during timed passes.
 */
public final class MaskBench {
    static final LungCrop RECIPE = new LungCrop(true, 0.05, 224);

    public static void main(String[] args) throws Exception {
        Path root = null;
        int threads = 1, repeat = 3, limit = Integer.MAX_VALUE, every = 10, stride = 1;
        boolean profile = false;
        String dump = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--profile" -> profile = true;
                case "--dump" -> dump = args[++i];
                case "--every" -> every = Integer.parseInt(args[++i]);
                case "--stride" -> stride = Integer.parseInt(args[++i]);
                default -> {
                    if (args[i].startsWith("--") || root != null) {
                        System.err.println("usage: MaskBench DATASET --threads N --repeat R [--profile] [--dump FILE --every K] [--stride K] [--limit N]");
                        System.exit(2);
                    }
                    root = Path.of(args[i]);
                }
            }
        }
        if (root == null || threads < 1 || repeat < 1 || stride < 1) {
            System.err.println("usage: MaskBench DATASET --threads N --repeat R [--profile] [--dump FILE --every K] [--stride K] [--limit N]");
            System.exit(2);
        }
        Dataset ds = DatasetReader.scan(root);
        List<Sample> samples = ds.samples();
        if (stride > 1) {
            List<Sample> strided = new ArrayList<>();
            for (int i = 0; i < samples.size(); i += stride) strided.add(samples.get(i));
            samples = strided;
        }
        if (samples.size() > limit) samples = samples.subList(0, limit);

        if (dump != null) {
            dump(samples, Path.of(dump), every);
        } else if (profile) {
            profile(samples, repeat);
        } else {
            throughput(samples, threads, repeat);
        }
    }

    // ---------------------------------------------------------------- throughput

    /** Result of one pass: sum of all output pixels (keeps the work observable) and failures. */
    record PassResult(long checksum, int failed, double seconds) {}

    static PassResult pass(List<Sample> samples, ExecutorService pool, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        int n = samples.size();
        long t0 = System.nanoTime();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                long sum = 0, failed = 0;
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    try {
                        GrayImage out = Prepared.load(samples.get(i), MaskSource.ANNOTATION, RECIPE).masked();
                        sum += pixelSum(out);
                    } catch (BadInputException e) {
                        failed++;
                    }
                }
                return new long[] {sum, failed};
            }));
        }
        long sum = 0, failed = 0;
        for (Future<long[]> f : futures) {
            long[] r = f.get();
            sum += r[0];
            failed += r[1];
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new PassResult(sum, (int) failed, s);
    }

    static long pixelSum(GrayImage img) {
        long s = 0;
        for (byte b : img.pixels()) s += b & 0xFF;
        return s;
    }

    static final int WARMUP_IMAGES = 4000;

    static void throughput(List<Sample> samples, int threads, int repeat) throws Exception {
        int n = samples.size();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // warm-up: whole passes until at least WARMUP_IMAGES films were prepared, so that the JIT has
            // compiled the hot paths before timing (with one pass over a small subset it is still compiling)
            PassResult warm = null;
            for (int done = 0; done < Math.max(1, Math.min(WARMUP_IMAGES, 20 * n)); done += n) {
                PassResult w = pass(samples, pool, threads);
                warm = warm == null ? w : new PassResult(w.checksum(), w.failed(), warm.seconds() + w.seconds());
            }
            double[] secs = new double[repeat];
            double[] ips = new double[repeat];
            double[] ipc = new double[repeat];
            PassResult last = warm;
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (int r = 0; r < repeat; r++) {
                long c0 = os.getProcessCpuTime(); // the whole JVM: workers, GC and JIT threads
                last = pass(samples, pool, threads);
                long c1 = os.getProcessCpuTime();
                secs[r] = last.seconds();
                ips[r] = (n - last.failed()) / last.seconds();
                ipc[r] = (n - last.failed()) / ((c1 - c0) / 1e9);
            }
            double median = median(ips);
            StringBuilder sb = new StringBuilder();
            sb.append('{');
            kv(sb, "side", "java").append(',');
            kv(sb, "mode", "throughput").append(',');
            sb.append("\"threads\":").append(threads).append(',');
            sb.append("\"repeat\":").append(repeat).append(',');
            sb.append("\"images\":").append(n).append(',');
            sb.append("\"failed\":").append(last.failed()).append(',');
            sb.append(String.format(Locale.ROOT, "\"warmup_s\":%.3f,", warm.seconds()));
            sb.append("\"pass_s\":").append(arr(secs, "%.3f")).append(',');
            sb.append("\"pass_images_per_s\":").append(arr(ips, "%.1f")).append(',');
            sb.append(String.format(Locale.ROOT, "\"images_per_s\":%.1f,", median));
            sb.append("\"pass_images_per_cpu_s\":").append(arr(ipc, "%.1f")).append(',');
            sb.append(String.format(Locale.ROOT, "\"images_per_cpu_s\":%.1f,", median(ipc)));
            sb.append("\"checksum\":").append(last.checksum()).append(',');
            kv(sb, "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
            sb.append('}');
            System.out.println(sb);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- profile

    static final String[] STAGES = {"decode", "json", "rasterise", "and", "bbox_crop", "resize"};

    /**
     * Single-thread per-stage timing: the same calls Prepared.load makes, timed one by one, in wall
     * time ({@code ms_per_image}) and in the thread's CPU time ({@code cpu_ms_per_image}).
     * decode = ImageReader.read (ImageIO + conversion to grey); json = DarwinReader.read (Jackson);
     * rasterise = LungMasks.fromRegions (validate + even-odd fill + lung-only + count);
     * and = MaskOps.apply; bbox_crop = LungCrop.region + ImageOps.crop; resize = ImageOps.resize.
     */
    static void profile(List<Sample> samples, int repeat) throws Exception {
        int n = samples.size();
        // warm-up: the full pipeline (at least WARMUP_IMAGES films) plus the staged path once, so both are JIT-compiled
        for (int done = 0; done < Math.max(1, Math.min(WARMUP_IMAGES, 20 * n)); done += n) {
            for (Sample s : samples) {
                try { Prepared.load(s, MaskSource.ANNOTATION, RECIPE); } catch (BadInputException e) { /* counted below */ }
            }
        }
        long[] total = new long[STAGES.length], cpu = new long[STAGES.length];
        Map<String, long[]> decodeByFormat = new TreeMap<>(); // format -> {ns, count, pixels}
        long[] full = new long[2]; // wall, thread CPU
        int failed = 0;
        LongSupplier wall = System::nanoTime, threadCpu = CPU::getCurrentThreadCpuTime;
        stagedPass(samples, new long[STAGES.length], new TreeMap<>(), wall);
        for (int r = 0; r < repeat; r++) {
            failed = stagedPass(samples, total, decodeByFormat, wall);
            // the same stages timed in thread CPU time, which a busy machine inflates less than wall time
            stagedPass(samples, cpu, new TreeMap<>(), threadCpu);
            // the unsplit pipeline in the same run, to check that the stages add up
            long t0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
            for (Sample s : samples) {
                try { Prepared.load(s, MaskSource.ANNOTATION, RECIPE); } catch (BadInputException e) { /* same as above */ }
            }
            full[0] += System.nanoTime() - t0;
            full[1] += CPU.getCurrentThreadCpuTime() - c0;
        }
        int done = (n - failed) * repeat;
        StringBuilder sb = new StringBuilder();
        sb.append('{');
        kv(sb, "side", "java").append(',');
        kv(sb, "mode", "profile").append(',');
        sb.append("\"threads\":1,\"repeat\":").append(repeat).append(',');
        sb.append("\"images\":").append(n).append(",\"failed\":").append(failed).append(',');
        sb.append("\"ms_per_image\":{");
        long sum = 0;
        for (int k = 0; k < STAGES.length; k++) {
            sb.append(String.format(Locale.ROOT, "\"%s\":%.4f,", STAGES[k], total[k] / 1e6 / done));
            sum += total[k];
        }
        sb.append(String.format(Locale.ROOT, "\"sum_of_stages\":%.4f,\"unsplit_pipeline\":%.4f},", sum / 1e6 / done, full[0] / 1e6 / done));
        sb.append("\"cpu_ms_per_image\":{");
        sum = 0;
        for (int k = 0; k < STAGES.length; k++) {
            sb.append(String.format(Locale.ROOT, "\"%s\":%.4f,", STAGES[k], cpu[k] / 1e6 / done));
            sum += cpu[k];
        }
        sb.append(String.format(Locale.ROOT, "\"sum_of_stages\":%.4f,\"unsplit_pipeline\":%.4f},", sum / 1e6 / done, full[1] / 1e6 / done));
        sb.append("\"decode_by_format\":{");
        boolean first = true;
        for (var e : decodeByFormat.entrySet()) {
            long[] v = e.getValue();
            if (!first) sb.append(',');
            first = false;
            sb.append(String.format(Locale.ROOT, "\"%s\":{\"images\":%d,\"ms_per_image\":%.4f,\"ns_per_pixel\":%.3f}",
                    e.getKey(), v[1] / repeat, v[0] / 1e6 / v[1], (double) v[0] / v[2]));
        }
        sb.append("}}");
        System.out.println(sb);
    }

    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    static int stagedPass(List<Sample> samples, long[] total, Map<String, long[]> byFormat, LongSupplier clock) {
        int failed = 0;
        long sink = 0;
        for (Sample s : samples) {
            try {
                long t0 = clock.getAsLong();
                GrayImage img = ImageReader.read(s.image());
                long t1 = clock.getAsLong();
                DarwinFile d = DarwinReader.read(s.annotation());
                long t2 = clock.getAsLong();
                GrayImage mask = LungMasks.fromRegions(img.width(), img.height(), d.regions());
                long t3 = clock.getAsLong();
                GrayImage out = MaskOps.apply(img, mask);
                long t4 = clock.getAsLong();
                ImageOps.Rect rect = RECIPE.region(mask);
                out = ImageOps.crop(out, rect);
                long t5 = clock.getAsLong();
                out = ImageOps.resize(out, RECIPE.size(), RECIPE.size());
                long t6 = clock.getAsLong();
                sink += out.pixels()[0];
                total[0] += t1 - t0;
                total[1] += t2 - t1;
                total[2] += t3 - t2;
                total[3] += t4 - t3;
                total[4] += t5 - t4;
                total[5] += t6 - t5;
                long[] f = byFormat.computeIfAbsent(ImageReader.header(s.image()).format(), k -> new long[3]);
                f[0] += t1 - t0;
                f[1]++;
                f[2] += (long) img.width() * img.height();
            } catch (BadInputException e) {
                failed++;
            }
        }
        if (sink == Long.MIN_VALUE) System.out.print(""); // keep results live
        return failed;
    }

    // ---------------------------------------------------------------- cross-check dump

    /**
     * Writes every K-th output for the peer to compare (not part of any timing). Record format, big
     * endian: int nameLen, name UTF-8, int lungPixels, int x0, y0, x1, y1 (crop region), int w, int h,
     * w*h bytes.
     */
    static void dump(List<Sample> samples, Path file, int every) throws IOException {
        int written = 0, failed = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(file.toFile())))) {
            for (int i = 0; i < samples.size(); i += every) {
                Sample s = samples.get(i);
                Prepared p;
                try {
                    p = Prepared.load(s, MaskSource.ANNOTATION, RECIPE);
                } catch (BadInputException e) {
                    failed++;
                    continue;
                }
                byte[] name = s.file().getBytes(StandardCharsets.UTF_8);
                out.writeInt(name.length);
                out.write(name);
                out.writeInt(MaskOps.count(p.lungMask()));
                ImageOps.Rect r = RECIPE.region(p.lungMask());
                out.writeInt(r.x0());
                out.writeInt(r.y0());
                out.writeInt(r.x1());
                out.writeInt(r.y1());
                out.writeInt(p.masked().width());
                out.writeInt(p.masked().height());
                out.write(p.masked().pixels());
                written++;
            }
        }
        System.out.println("{\"side\":\"java\",\"mode\":\"dump\",\"written\":" + written + ",\"failed\":" + failed + "}");
    }

    // ---------------------------------------------------------------- helpers

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int m = c.length / 2;
        return c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
    }

    static String arr(double[] v, String fmt) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(String.format(Locale.ROOT, fmt, v[i]));
        }
        return sb.append(']').toString();
    }

    static StringBuilder kv(StringBuilder sb, String k, String v) {
        return sb.append('"').append(k).append("\":\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
}
