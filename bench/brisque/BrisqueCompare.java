import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.quality.brisque.Brisque;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Companion of bench/brisque/compare.sh.
 *
 * <pre>
 *   export OUTDIR FILE...           decode each file as cxr4j does (ImageReader: 8-bit grey, colour by
 *                                   ITU-R 601 luma) and write it as a binary PGM, so OpenCV and Java score
 *                                   exactly the same pixels
 *   compare MODEL_DIR OPENCV_TSV    score the PGMs named in OpenCV's output (path, score, 36 features)
 *                                   with cxr4j and print per-image and per-feature differences
 * </pre>
 */
public class BrisqueCompare {
    /** Features whose relative difference exceeds this are listed per image (-Dbrisque.rel=0 lists any). */
    static final double REPORT_REL = Double.parseDouble(System.getProperty("brisque.rel", "1e-4"));

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("export")) {
            Path out = Path.of(args[1]);
            Files.createDirectories(out);
            for (int i = 2; i < args.length; i++) {
                Path f = Path.of(args[i]);
                GrayImage g = ImageReader.read(f);
                Path pgm = out.resolve(String.format("%03d-%s.pgm", i - 2, f.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_")));
                writePgm(g, pgm);
                System.out.println(pgm);
            }
        } else if (args.length == 3 && args[0].equals("compare")) {
            compare(Brisque.load(Path.of(args[1])), Files.readAllLines(Path.of(args[2])));
        } else {
            System.err.println("usage: BrisqueCompare export OUTDIR FILE... | compare MODEL_DIR OPENCV_TSV");
            System.exit(2);
        }
    }

    static void compare(Brisque brisque, List<String> lines) throws IOException {
        double worst = -1;
        String worstName = "";
        double[] featAbs = new double[36], featRel = new double[36];
        int n = 0, nanMismatch = 0;
        long t0 = System.nanoTime();
        System.out.printf("%-48s %9s %9s %9s  %s%n", "image", "opencv", "cxr4j", "|diff|", "features differing (rel > " + REPORT_REL + ")");
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] t = line.split("\t");
            Path pgm = Path.of(t[0]);
            double cv = parse(t[1]);
            float[] cvf = new float[36];
            for (int k = 0; k < 36; k++) cvf[k] = (float) parse(t[2 + k]);
            GrayImage g = readPgm(pgm);
            float[] jf = Brisque.features(g);
            double js = brisque.scoreFeatures(jf);
            StringBuilder differing = new StringBuilder();
            for (int k = 0; k < 36; k++) {
                if (Float.isNaN(cvf[k]) != Float.isNaN(jf[k])) { nanMismatch++; differing.append(' ').append(k + 1).append("(NaN)"); continue; }
                if (Float.isNaN(cvf[k])) continue;
                double a = Math.abs(cvf[k] - jf[k]);
                double r = a / Math.max(1e-12, Math.abs(cvf[k]));
                featAbs[k] = Math.max(featAbs[k], a);
                featRel[k] = Math.max(featRel[k], r);
                if (r > REPORT_REL) differing.append(' ').append(k + 1);
            }
            double d = (Double.isNaN(cv) && Double.isNaN(js)) ? 0 : Math.abs(cv - js);
            if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
            if (d > worst) { worst = d; worstName = pgm.getFileName().toString(); }
            System.out.printf("%-48s %9.4f %9.4f %9.2e %s%n", trim(pgm.getFileName().toString(), 48), cv, js, d, differing);
            n++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.println();
        System.out.println("feature  max|diff|     max rel diff");
        for (int k = 0; k < 36; k++) System.out.printf("%7d  %.3e  %.3e%n", k + 1, featAbs[k], featRel[k]);
        System.out.printf("%nimages: %d, features NaN in one only: %d, Java time %.1f s%n", n, nanMismatch, secs);
        System.out.printf("largest |score difference| OpenCV vs cxr4j: %.6f BRISQUE points (%s)%n", worst, worstName);
    }

    /** C's printf spells NaN "nan" or "-nan" and infinity "inf". */
    private static double parse(String s) {
        String l = s.toLowerCase().replace("+", "");
        if (l.equals("nan") || l.equals("-nan")) return Double.NaN;
        if (l.equals("inf")) return Double.POSITIVE_INFINITY;
        if (l.equals("-inf")) return Double.NEGATIVE_INFINITY;
        return Double.parseDouble(s);
    }

    private static String trim(String s, int n) { return s.length() <= n ? s : s.substring(0, n - 3) + "..."; }

    static void writePgm(GrayImage g, Path f) throws IOException {
        try (OutputStream o = Files.newOutputStream(f)) {
            o.write(("P5\n" + g.width() + " " + g.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII));
            o.write(g.pixels());
        }
    }

    /** Reads the binary PGMs this class writes (no comments, maxval 255). */
    static GrayImage readPgm(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        int[] pos = {0};
        String magic = token(b, pos);
        int w = Integer.parseInt(token(b, pos)), h = Integer.parseInt(token(b, pos)), max = Integer.parseInt(token(b, pos));
        if (!magic.equals("P5") || max != 255) throw new IOException(f + ": not an 8-bit binary PGM");
        pos[0]++; // the single whitespace after maxval
        byte[] px = new byte[w * h];
        System.arraycopy(b, pos[0], px, 0, px.length);
        return new GrayImage(w, h, px);
    }

    private static String token(byte[] b, int[] pos) {
        while (Character.isWhitespace(b[pos[0]])) pos[0]++;
        int s = pos[0];
        while (!Character.isWhitespace(b[pos[0]])) pos[0]++;
        return new String(b, s, pos[0] - s, StandardCharsets.US_ASCII);
    }
}
