package io.cxr4j.quality.brisque;

import io.cxr4j.image.GrayImage;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * BRISQUE no-reference quality score (0 = best, 100 = worst on the LIVE opinion scale), computed as
 * OpenCV's {@code cv::quality::QualityBRISQUE} computes it: 36 statistics of the MSCN coefficients at
 * two scales ({@link #features}; the steps are listed in {@code BrisqueFeatures} and docs/quality.md),
 * each scaled linearly onto [-1, 1] by the model's feature range, fed to an RBF support-vector regressor,
 * and the result clamped to [0, 100].
 *
 * <p>The model is OpenCV's, trained on the LIVE database and shipped by Debian's {@code opencv-data}
 * package as {@value #MODEL_FILE} and {@value #RANGE_FILE} in {@link #DEFAULT_DIR}; it is not bundled.
 * An instance is immutable and thread-safe.
 *
 * <pre>{@code
 * Brisque b = Brisque.load(null);          // the default folder; BadInputException if absent
 * double s = b.score(ImageReader.read(file));
 * }</pre>
 */
public final class Brisque {
    /** Where Debian's {@code opencv-data} installs the model. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/opencv4/quality");
    public static final String MODEL_FILE = "brisque_model_live.yml";
    public static final String RANGE_FILE = "brisque_range_live.yml";
    /** Number of BRISQUE features. */
    public static final int FEATURE_COUNT = BrisqueFeatures.COUNT;

    private final SvrModel model;
    private final float[] min;
    private final float[] max;

    private Brisque(SvrModel model, float[] min, float[] max) {
        this.model = model;
        this.min = min;
        this.max = max;
    }

    /** The folder {@link #load(Path)} reads: {@code dir}, or {@link #DEFAULT_DIR} when null. */
    public static Path folder(Path dir) { return dir == null ? DEFAULT_DIR : dir; }

    /**
     * Loads {@value #MODEL_FILE} and {@value #RANGE_FILE} from {@code dir}, or from {@link #DEFAULT_DIR}
     * when null. As elsewhere in cxr4j, a failure's message is a one-line reason that names the file but
     * not the folder: print it as {@code <folder(dir)>: <message>}.
     */
    public static Brisque load(Path dir) throws BadInputException {
        Path d = folder(dir);
        return load(d.resolve(MODEL_FILE), d.resolve(RANGE_FILE));
    }

    /**
     * Loads an OpenCV SVM regressor file and its feature-range file ({@code range}: a 2 x 36 matrix,
     * minima then maxima). Messages name the files by their file names only.
     */
    public static Brisque load(Path modelFile, Path rangeFile) throws BadInputException {
        SvrModel model;
        try {
            model = SvrModel.fromYaml(OpenCvYaml.parse(read(modelFile)));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("BRISQUE model " + modelFile.getFileName() + " is not usable: " + e.getMessage(), e);
        }
        if (model.dimension() != BrisqueFeatures.COUNT) {
            throw new BadInputException("BRISQUE model " + modelFile.getFileName() + " takes " + model.dimension()
                    + " features, expected " + BrisqueFeatures.COUNT);
        }
        double[] range;
        try {
            Map<String, Object> root = OpenCvYaml.parse(read(rangeFile));
            range = OpenCvYaml.matrix(root.get("range"), "range", 2, BrisqueFeatures.COUNT);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("BRISQUE range file " + rangeFile.getFileName() + " is not usable: " + e.getMessage(), e);
        }
        int n = BrisqueFeatures.COUNT;
        float[] min = new float[n], max = new float[n];
        for (int i = 0; i < n; i++) {
            min[i] = (float) range[i];
            max[i] = (float) range[n + i];
            if (!(max[i] > min[i])) throw new BadInputException("BRISQUE range file " + rangeFile.getFileName() + ": feature " + (i + 1) + " has an empty range");
        }
        return new Brisque(model, min, max);
    }

    private static String read(Path file) throws BadInputException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("BRISQUE model not found: no " + file.getFileName()
                    + " (install OpenCV's model with: apt-get install opencv-data, or give the folder that holds it)");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The BRISQUE score of an 8-bit grey image, in [0, 100]; lower is better. An image with no texture
     * (a flat one) has undefined (NaN) features, because there are no negative or positive MSCN
     * coefficients to fit; as in OpenCV their kernel terms drop out and the score is the model's bias,
     * clamped: 100 with the LIVE model. Needs at least 2x2 pixels.
     */
    public double score(GrayImage img) {
        return scoreFeatures(BrisqueFeatures.compute(img));
    }

    SvrModel model() { return model; }

    /** The score for already computed features ({@link #features}). */
    public double scoreFeatures(float[] features) {
        if (features.length != BrisqueFeatures.COUNT) {
            throw new IllegalArgumentException(features.length + " features, expected " + BrisqueFeatures.COUNT);
        }
        float r = (float) model.predict(scale(features));
        // OpenCV: std::min(std::max(r, 0.f), 100.f), which lets NaN through
        if (Float.isNaN(r)) return Double.NaN;
        return Math.min(Math.max(r, 0f), 100f);
    }

    /** The features scaled onto [-1, 1] by the range file, in float as OpenCV's {@code quality_utils::scale}. */
    float[] scale(float[] f) {
        float[] s = new float[f.length];
        for (int i = 0; i < f.length; i++) s[i] = -1f + (1f - -1f) * (f[i] - min[i]) / (max[i] - min[i]);
        return s;
    }

    /**
     * The 36 BRISQUE features of an image, unscaled, as OpenCV's {@code QualityBRISQUE::computeFeatures}
     * gives them: for the image and its half-size copy, the MSCN shape and variance, then shape, mean, left
     * and right variance of the products with the right, lower, lower-right and upper-right neighbour.
     * Needs at least 2x2 pixels.
     */
    public static float[] features(GrayImage img) {
        return BrisqueFeatures.compute(img);
    }
}
