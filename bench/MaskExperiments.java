import io.cxr4j.data.DatasetReader;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;
import io.cxr4j.mask.LungCrop;
import io.cxr4j.prep.Prepared;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Single-thread experiments behind the optimisation notes in docs/benchmarks.md ("Masking
 * throughput"); nothing here is used by cxr4j.
 *
 * <ol>
 *   <li>decode: where ImageReader's time goes per kind of file (ImageIO open + reader lookup,
 *   ImageIO read, conversion to grey), and what decoding only the luma (Y) channel of YCbCr JPEGs
 *   would save (ImageIO can return TYPE_BYTE_GRAY for them), with the pixel difference it causes;</li>
 *   <li>resize: ImageOps.resize on the real crops vs a variant with the same weights that filters only
 *   the rows the vertical pass needs and runs the vertical pass row-wise (x innermost).</li>
 * </ol>
 *
 * <pre>java -cp target/cxr4j.jar:bench/out/classes MaskExperiments DATASET [--repeat R]</pre>
 */
public final class MaskExperiments {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int repeat = args.length > 2 && args[1].equals("--repeat") ? Integer.parseInt(args[2]) : 3;
        ImageIO.setUseCache(false);
        List<Sample> samples = DatasetReader.scan(root).samples();
        decode(samples, repeat);
        resize(samples, repeat);
    }

    // ------------------------------------------------------------------ decode

    static void decode(List<Sample> samples, int repeat) throws Exception {
        // kind -> {n, open ns, read ns, toGray ns, pixels, yOnly ns, sum|diff|, max|diff|, diffPixels}
        Map<String, long[]> acc = new TreeMap<>();
        for (int r = 0; r <= repeat; r++) { // pass 0 is the warm-up
            if (r == 1) acc.clear();
            for (Sample s : samples) {
                long t0 = System.nanoTime();
                ImageInputStream iis = ImageIO.createImageInputStream(s.image().toFile());
                ImageReader reader = ImageIO.getImageReaders(iis).next();
                reader.setInput(iis, true, true);
                long t1 = System.nanoTime();
                BufferedImage img = reader.read(0, reader.getDefaultReadParam());
                long t2 = System.nanoTime();
                GrayImage g = io.cxr4j.image.ImageReader.toGray(img);
                long t3 = System.nanoTime();
                String fmt = reader.getFormatName().toLowerCase(Locale.ROOT);
                reader.dispose();
                iis.close();
                String kind = fmt + "/" + typeName(img);
                long[] a = acc.computeIfAbsent(kind, k -> new long[9]);
                a[0]++;
                a[1] += t1 - t0;
                a[2] += t2 - t1;
                a[3] += t3 - t2;
                a[4] += (long) g.width() * g.height();
                if (fmt.equals("jpeg") && img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
                    long u0 = System.nanoTime();
                    ImageInputStream i2 = ImageIO.createImageInputStream(s.image().toFile());
                    ImageReader r2 = ImageIO.getImageReaders(i2).next();
                    r2.setInput(i2, true, true);
                    ImageReadParam p = r2.getDefaultReadParam();
                    p.setDestinationType(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_BYTE_GRAY));
                    BufferedImage y = r2.read(0, p);
                    byte[] yb = ((DataBufferByte) y.getRaster().getDataBuffer()).getData();
                    long u1 = System.nanoTime();
                    r2.dispose();
                    i2.close();
                    a[5] += u1 - u0;
                    byte[] gp = g.pixels();
                    for (int i = 0; i < gp.length; i++) {
                        int d = Math.abs((gp[i] & 0xFF) - (yb[i] & 0xFF));
                        a[6] += d;
                        if (d > a[7]) a[7] = d;
                        if (d != 0) a[8]++;
                    }
                }
            }
        }
        long n = samples.size();
        double all = 0;
        System.out.println("decode, ms per image of that kind (mean over " + repeat + " passes after a warm-up):");
        System.out.printf(Locale.ROOT, "%-22s %6s %8s %8s %8s %8s %9s | %s%n", "kind", "images", "open", "read", "toGray", "total",
                "share/img", "Y-only decode (YCbCr JPEG)");
        for (var e : acc.entrySet()) {
            long[] a = e.getValue();
            double cnt = a[0];
            double tot = (a[1] + a[2] + a[3]) / 1e6 / cnt;
            all += (a[1] + a[2] + a[3]) / 1e6;
            String y = a[5] == 0 ? "" : String.format(Locale.ROOT, "%.3f ms; differs from luma at %.4f%% of pixels, max %d",
                    a[5] / 1e6 / cnt, 100.0 * a[8] / a[4], a[7]);
            System.out.printf(Locale.ROOT, "%-22s %6d %8.3f %8.3f %8.3f %8.3f %9.3f | %s%n", e.getKey(), (long) cnt / repeat,
                    a[1] / 1e6 / cnt, a[2] / 1e6 / cnt, a[3] / 1e6 / cnt, tot, (a[1] + a[2] + a[3]) / 1e6 / (n * repeat), y);
        }
        System.out.printf(Locale.ROOT, "all: %.3f ms per image%n%n", all / (n * repeat));
    }

    static String typeName(BufferedImage img) {
        return switch (img.getType()) {
            case BufferedImage.TYPE_BYTE_GRAY -> "gray8";
            case BufferedImage.TYPE_3BYTE_BGR -> "rgb";
            case BufferedImage.TYPE_4BYTE_ABGR -> "rgba";
            case BufferedImage.TYPE_BYTE_INDEXED -> "palette";
            case BufferedImage.TYPE_CUSTOM -> "custom" + img.getColorModel().getPixelSize();
            default -> "type" + img.getType();
        };
    }

    // ------------------------------------------------------------------ resize

    static long hNanos, vNanos;

    static void resize(List<Sample> samples, int repeat) throws Exception {
        LungCrop recipe = new LungCrop(true, 0.05, 224);
        List<GrayImage> crops = new ArrayList<>();
        long px = 0;
        for (Sample s : samples) {
            Prepared p = Prepared.load(s, MaskSource.ANNOTATION, new LungCrop(false, 0, 0));
            GrayImage c = ImageOps.crop(p.masked(), recipe.region(p.lungMask()));
            crops.add(c);
            px += (long) c.width() * c.height();
        }
        long maxd = 0;
        for (GrayImage c : crops) {
            byte[] x = ImageOps.resize(c, 224, 224).pixels(), y = resizeRowwise(c, 224, 224).pixels();
            for (int i = 0; i < x.length; i++) maxd = Math.max(maxd, Math.abs((x[i] & 0xFF) - (y[i] & 0xFF)));
        }
        System.out.printf(Locale.ROOT, "resize: %d crops, mean side %.0f px; variant vs ImageOps.resize max |diff| %d%n",
                crops.size(), Math.sqrt((double) px / crops.size()), maxd);
        double[] cur = new double[repeat + 1], var = new double[repeat + 1];
        long sink = 0;
        for (int r = 0; r <= repeat; r++) {
            hNanos = vNanos = 0;
            long t0 = System.nanoTime();
            for (GrayImage c : crops) sink += ImageOps.resize(c, 224, 224).pixels()[100];
            long t1 = System.nanoTime();
            for (GrayImage c : crops) sink += resizeRowwise(c, 224, 224).pixels()[100];
            long t2 = System.nanoTime();
            cur[r] = (t1 - t0) / 1e6 / crops.size();
            var[r] = (t2 - t1) / 1e6 / crops.size();
            if (r > 0) {
                System.out.printf(Locale.ROOT, "  pass %d: ImageOps.resize %.3f ms/img, variant %.3f ms/img (weights+horizontal %.3f, vertical %.3f)%n",
                        r, cur[r], var[r], hNanos / 1e6 / crops.size(), vNanos / 1e6 / crops.size());
            }
        }
        if (sink == 42) System.out.print("");
    }

    /** Same triangle weights as ImageOps.resize; horizontal pass only over needed rows; vertical pass row-wise. */
    static GrayImage resizeRowwise(GrayImage img, int nw, int nh) {
        long t0 = System.nanoTime();
        int sw = img.width(), sh = img.height();
        byte[] src = img.pixels();
        int[] xs = new int[nw], ys = new int[nh];
        float[][] wx = weights(sw, nw, xs), wy = weights(sh, nh, ys);
        int r0 = ys[0], r1 = ys[nh - 1] + wy[nh - 1].length;
        float[] tmp = new float[(r1 - r0) * nw];
        for (int y = r0; y < r1; y++) {
            int ro = y * sw, oo = (y - r0) * nw;
            for (int x = 0; x < nw; x++) {
                float[] w = wx[x];
                int s = ro + xs[x];
                float a = 0;
                for (int k = 0; k < w.length; k++) a += w[k] * (src[s + k] & 0xFF);
                tmp[oo + x] = a;
            }
        }
        long t1 = System.nanoTime();
        byte[] out = new byte[nw * nh];
        float[] acc = new float[nw];
        for (int y = 0; y < nh; y++) {
            Arrays.fill(acc, 0);
            float[] w = wy[y];
            for (int k = 0; k < w.length; k++) {
                float wk = w[k];
                int ro = (ys[y] + k - r0) * nw;
                for (int x = 0; x < nw; x++) acc[x] += wk * tmp[ro + x];
            }
            int oo = y * nw;
            for (int x = 0; x < nw; x++) {
                int v = Math.round(acc[x]);
                out[oo + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
            }
        }
        long t2 = System.nanoTime();
        hNanos += t1 - t0;
        vNanos += t2 - t1;
        return new GrayImage(nw, nh, out);
    }

    static float[][] weights(int src, int dst, int[] start) {
        double scale = (double) src / dst, support = Math.max(1.0, scale);
        float[][] w = new float[dst][];
        for (int i = 0; i < dst; i++) {
            double c = (i + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(c - support)), hi = Math.min(src, (int) Math.ceil(c + support));
            double[] t = new double[hi - lo];
            double sum = 0;
            for (int k = lo; k < hi; k++) {
                double d = Math.abs((k + 0.5 - c) / support);
                t[k - lo] = d < 1 ? 1 - d : 0;
                sum += t[k - lo];
            }
            int a = 0, b = t.length;
            while (a < b && t[a] == 0) a++;
            while (b > a && t[b - 1] == 0) b--;
            start[i] = lo + a;
            w[i] = new float[b - a];
            for (int k = 0; k < b - a; k++) w[i][k] = (float) (t[a + k] / sum);
        }
        return w;
    }
}
