package io.cxr4j.quality.brisque;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.testutil.TestData;
import io.cxr4j.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BrisqueTest {

    /** A two-input RBF regressor in OpenCV's SVM::save layout. */
    private static final String TINY_MODEL = """
            %YAML:1.0
            ---
            opencv_ml_svm:
               format: 3
               svmType: EPS_SVR
               kernel:
                  type: RBF
                  gamma: 0.5
               C: 1.
               p: 1.0000000000000001e-01
               term_criteria: { epsilon:1.0000000000000000e-03 }
               var_count: 2
               sv_total: 2
               support_vectors:
                  - [ 0., 0. ]
                  - [ 1., 1. ]
               decision_functions:
                  -
                     sv_count: 2
                     rho: 0.5
                     alpha: [ 2., -1. ]
            """;

    @Test
    void svrOnAHandMadeModel() {
        SvrModel m = SvrModel.fromYaml(OpenCvYaml.parse(TINY_MODEL));
        assertEquals(2, m.dimension());
        assertEquals(2, m.supportVectors());
        // f(x) = 2 exp(-0.5 |x - (0,0)|^2) - exp(-0.5 |x - (1,1)|^2) - 0.5
        assertEquals(2 - Math.exp(-1) - 0.5, m.predict(new float[] {0, 0}), 1e-6);
        assertEquals(2 * Math.exp(-0.5) - Math.exp(-0.5) - 0.5, m.predict(new float[] {1, 0}), 1e-6);
        assertEquals(2 * Math.exp(-1) - 1 - 0.5, m.predict(new float[] {1, 1}), 1e-6);
        assertEquals(2 * Math.exp(-0.5 * 8) - Math.exp(-0.5 * 2) - 0.5, m.predict(new float[] {2, 2}), 1e-6);
        // an undefined input drops every kernel term, leaving -rho (OpenCV's behaviour)
        assertEquals(-0.5, m.predict(new float[] {Float.NaN, 0}), 0);
        assertThrows(IllegalArgumentException.class, () -> m.predict(new float[] {1, 2, 3}));
    }

    @Test
    void svrUsesTheIndexOfItsDecisionFunction() {
        String indexed = TINY_MODEL.replace("alpha: [ 2., -1. ]", "alpha: [ 3. ]\n         index: [ 1 ]").replace("sv_count: 2", "sv_count: 1");
        SvrModel m = SvrModel.fromYaml(OpenCvYaml.parse(indexed));
        assertEquals(3 * Math.exp(-0.5) - 0.5, m.predict(new float[] {1, 0}), 1e-6); // only SV (1,1)
    }

    @Test
    void classifiersAndOtherKernelsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SvrModel.fromYaml(OpenCvYaml.parse(TINY_MODEL.replace("EPS_SVR", "C_SVC"))));
        assertThrows(IllegalArgumentException.class, () -> SvrModel.fromYaml(OpenCvYaml.parse(TINY_MODEL.replace("type: RBF", "type: LINEAR"))));
        assertThrows(IllegalArgumentException.class, () -> SvrModel.fromYaml(OpenCvYaml.parse(TINY_MODEL.replace("sv_total: 2", "sv_total: 3"))));
    }

    @Test
    void yamlReaderHandlesOpenCvLayouts() {
        Map<String, Object> root = OpenCvYaml.parse("""
                %YAML:1.0
                ---
                range: !!opencv-matrix
                   rows: 2
                   cols: 3
                   dt: f
                   data: [ 1., -2.5e-01, 3,
                       4., 5.0e+00, .Nan ]
                flow: { a:1, b: [2, 3] }
                list:
                   - x: 1
                     y: "two"
                   -
                      z: 3
                empty:
                """);
        double[] m = OpenCvYaml.matrix(root.get("range"), "range", 2, 3);
        assertEquals(1.0, m[0], 0);
        assertEquals(-0.25, m[1], 0);
        assertEquals(5.0, m[4], 0);
        assertTrue(Double.isNaN(m[5]));
        Map<?, ?> flow = (Map<?, ?>) root.get("flow");
        assertEquals("1", flow.get("a"));
        assertEquals(List.of("2", "3"), flow.get("b"));
        List<?> list = (List<?>) root.get("list");
        assertEquals(Map.of("x", "1", "y", "two"), list.get(0));
        assertEquals(Map.of("z", "3"), list.get(1));
        assertTrue(root.containsKey("empty") && root.get("empty") == null);
        assertThrows(IllegalArgumentException.class, () -> OpenCvYaml.matrix(root.get("range"), "range", 2, 36));
        assertThrows(IllegalArgumentException.class, () -> OpenCvYaml.parse("a: [ 1, 2\n"));
        assertThrows(IllegalArgumentException.class, () -> OpenCvYaml.parse("a: 1\na: 2\n"));
    }

    @Test
    void missingModelSaysHowToInstallIt(@TempDir Path dir) {
        BadInputException e = assertThrows(BadInputException.class, () -> Brisque.load(dir));
        assertTrue(e.getMessage().contains("apt-get install opencv-data"), e.getMessage());
        assertTrue(e.getMessage().contains(Brisque.MODEL_FILE), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertEquals(Brisque.DEFAULT_DIR, Brisque.folder(null));
    }

    @Test
    void brokenModelFileIsABadInput(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(Brisque.MODEL_FILE), "opencv_ml_svm:\n   svmType: [ unclosed\n");
        Files.writeString(dir.resolve(Brisque.RANGE_FILE), "range: 1\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Brisque.load(dir));
        assertTrue(e.getMessage().contains(Brisque.MODEL_FILE), e.getMessage());
    }

    /**
     * A 36-input model with one support vector at the origin of the scaled space, ranges [0, 2] (so
     * scaling maps f to f - 1): score = clamp(alpha exp(-gamma sum (f_i - 1)^2) - rho, 0, 100).
     */
    private static Brisque handModel(Path dir, double gamma, double alpha, double rho) throws Exception {
        String zeros = String.join(", ", java.util.Collections.nCopies(36, "0."));
        String twos = String.join(", ", java.util.Collections.nCopies(36, "2."));
        Files.writeString(dir.resolve(Brisque.MODEL_FILE), TINY_MODEL
                .replace("gamma: 0.5", "gamma: " + gamma)
                .replace("var_count: 2", "var_count: 36").replace("sv_total: 2", "sv_total: 1").replace("sv_count: 2", "sv_count: 1")
                .replace("      - [ 0., 0. ]\n      - [ 1., 1. ]", "      - [ " + zeros + " ]")
                .replace("rho: 0.5", "rho: " + rho).replace("alpha: [ 2., -1. ]", "alpha: [ " + alpha + " ]"));
        Files.writeString(dir.resolve(Brisque.RANGE_FILE), "%YAML:1.0\n---\nrange: !!opencv-matrix\n   rows: 2\n   cols: 36\n   dt: f\n   data: [ "
                + zeros + ",\n      " + twos + " ]\n");
        return Brisque.load(dir);
    }

    private static GrayImage texture(int w, int h, long seed) {
        Random r = new Random(seed);
        GrayImage g = new GrayImage(w, h);
        for (int i = 0; i < g.pixels().length; i++) g.pixels()[i] = (byte) (100 + r.nextInt(60));
        return g;
    }

    @Test
    void scoreScalesFeaturesByTheRangeAndClampsToZeroToHundred(@TempDir Path dir) throws Exception {
        GrayImage img = texture(48, 40, 1);
        float[] f = Brisque.features(img);
        double d2 = 0;
        for (float x : f) d2 += (x - 1.0) * (x - 1.0);
        Brisque b = handModel(dir, 0.001, 80, -5);
        assertTrue(d2 > 10 && d2 < 2000, "kernel neither 1 nor 0: " + d2);
        assertEquals(80 * Math.exp(-0.001 * d2) + 5, b.score(img), 1e-3);
        assertEquals(b.score(img), b.scoreFeatures(f), 0);

        Path d2dir = Files.createDirectory(dir.resolve("high"));
        assertEquals(100.0, handModel(d2dir, 0.001, 500, -5).score(img), 0, "clamped above");
        Path d3dir = Files.createDirectory(dir.resolve("low"));
        assertEquals(0.0, handModel(d3dir, 0.001, 1, 50).score(img), 0, "clamped below");
    }

    @Test
    void flatImageScoresTheModelBias(@TempDir Path dir) throws Exception {
        GrayImage flat = new GrayImage(30, 30);
        Arrays.fill(flat.pixels(), (byte) 90);
        assertEquals(42.0, handModel(dir, 0.01, 80, -42).score(flat), 0);
    }

    private static Brisque liveModel() throws BadInputException {
        boolean present = Files.isRegularFile(Brisque.DEFAULT_DIR.resolve(Brisque.MODEL_FILE));
        if (!present && TestData.required()) throw new AssertionError("OpenCV's BRISQUE model is not installed (apt-get install opencv-data)");
        assumeTrue(present, "OpenCV's BRISQUE model is not installed (apt-get install opencv-data)");
        return Brisque.load(null);
    }

    private static List<Path> miniImages(int n) throws IOException {
        try (Stream<Path> s = Files.list(TestData.mini().resolve("images"))) {
            return s.sorted().limit(n).toList();
        }
    }

    @Test
    void liveModelLoadsWithItsSupportVectors() throws Exception {
        Brisque b = liveModel();
        // the file's header: var_count 36, sv_total 774
        assertEquals(36, b.model().dimension());
        assertEquals(774, b.model().supportVectors());
    }

    @Test
    void realFilmsScoreFiniteAndNoiseMakesThemWorse() throws Exception {
        Brisque b = liveModel();
        for (Path p : miniImages(3)) {
            GrayImage g = ImageReader.read(p);
            double s = b.score(g);
            assertTrue(Double.isFinite(s) && s >= 0 && s <= 100, p + ": " + s);
            // strong white noise is one of the LIVE distortions: the score must rise clearly
            Random r = new Random(p.hashCode());
            GrayImage noisy = g.copy();
            for (int i = 0; i < noisy.pixels().length; i++) {
                long v = Math.round((noisy.pixels()[i] & 0xFF) + 40 * r.nextGaussian());
                noisy.pixels()[i] = (byte) Math.max(0, Math.min(255, v));
            }
            double sn = b.score(noisy);
            assertTrue(sn > s + 10, p + ": clean " + s + ", noisy " + sn);
        }
    }

    @Test
    void scoringIsThreadSafe() throws Exception {
        Brisque b = liveModel();
        List<GrayImage> imgs = new ArrayList<>();
        for (Path p : miniImages(4)) imgs.add(ImageReader.read(p));
        double[] sequential = imgs.stream().mapToDouble(b::score).toArray();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Double>> fs = new ArrayList<>();
            for (int rep = 0; rep < 2; rep++) for (GrayImage g : imgs) fs.add(pool.submit(() -> b.score(g)));
            for (int i = 0; i < fs.size(); i++) assertEquals(sequential[i % imgs.size()], fs.get(i).get(), 0);
        } finally {
            pool.shutdown();
        }
    }
}
