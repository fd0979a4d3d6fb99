package io.cxr4j.quality.brisque;

import java.util.List;
import java.util.Map;

/**
 * An epsilon- (or nu-) support-vector regressor with the RBF kernel, as OpenCV's {@code cv::ml::SVM}
 * stores it ({@code opencv_ml_svm}, format 3) and evaluates it:
 * {@code f(x) = sum_i alpha_i * exp(-gamma * |sv_i - x|^2) - rho}.
 *
 * <p>The arithmetic follows {@code SVMImpl}'s prediction: support vectors and the input are floats,
 * each coordinate difference is taken in float and squared and summed in double (four terms per
 * step), the scaled distance is rounded to float before the exponential (OpenCV keeps kernel values
 * as float), and the weighted sum is accumulated in double. OpenCV's exponential is its own fast
 * approximation ({@code cv::exp}); this uses {@link Math#exp}, which moves a BRISQUE score by about
 * 0.002 at most on real images. A NaN coordinate zeroes its kernel term, as in OpenCV. Immutable and
 * thread-safe.
 */
final class SvrModel {
    private final double gamma;
    private final float[][] sv;
    private final double[] alpha;
    private final double rho;

    SvrModel(double gamma, float[][] sv, double[] alpha, double rho) {
        if (sv.length == 0 || sv.length != alpha.length) {
            throw new IllegalArgumentException(sv.length + " support vectors but " + alpha.length + " weights");
        }
        int n = sv[0].length;
        for (float[] v : sv) if (v.length != n) throw new IllegalArgumentException("support vectors differ in length");
        this.gamma = gamma;
        this.sv = sv;
        this.alpha = alpha;
        this.rho = rho;
    }

    int dimension() { return sv[0].length; }

    int supportVectors() { return sv.length; }

    /** The regression value for one input of {@link #dimension()} floats. */
    double predict(float[] x) {
        if (x.length != dimension()) throw new IllegalArgumentException("input has " + x.length + " values, model expects " + dimension());
        double sum = -rho;
        int n = x.length;
        for (int j = 0; j < sv.length; j++) {
            float[] s = sv[j];
            double d = 0;
            int k = 0;
            for (; k <= n - 4; k += 4) {
                double t0 = s[k] - x[k], t1 = s[k + 1] - x[k + 1];
                d += t0 * t0 + t1 * t1;
                t0 = s[k + 2] - x[k + 2];
                t1 = s[k + 3] - x[k + 3];
                d += t0 * t0 + t1 * t1;
            }
            for (; k < n; k++) {
                double t0 = s[k] - x[k];
                d += t0 * t0;
            }
            float arg = (float) (d * -gamma);
            // OpenCV's vector exp clamps its argument with max/min instructions that turn NaN (from an
            // undefined feature) into the lower bound, whose exponential is 0: the term drops out
            float kernel = Float.isNaN(arg) ? 0f : (float) Math.exp(arg);
            sum += kernel * alpha[j];
        }
        return sum;
    }

    /**
     * Reads a model from the parsed YAML of an OpenCV {@code SVM::save} file. Only regression models
     * (EPS_SVR, NU_SVR) with the RBF kernel and no variable subset are accepted.
     */
    static SvrModel fromYaml(Map<String, Object> root) {
        if (root.isEmpty()) throw new IllegalArgumentException("empty model file");
        Object top = root.containsKey("opencv_ml_svm") ? root.get("opencv_ml_svm") : root.values().iterator().next();
        Map<?, ?> m = OpenCvYaml.map(top, "opencv_ml_svm");
        Object type = m.get("svmType");
        if (!"EPS_SVR".equals(type) && !"NU_SVR".equals(type)) {
            throw new IllegalArgumentException("not a regression SVM (svmType " + type + ")");
        }
        Map<?, ?> kernel = OpenCvYaml.map(m.get("kernel"), "kernel");
        if (!"RBF".equals(kernel.get("type"))) throw new IllegalArgumentException("kernel " + kernel.get("type") + " is not supported (only RBF)");
        double gamma = OpenCvYaml.number(kernel.get("gamma"), "kernel.gamma");
        if (m.containsKey("var_idx")) throw new IllegalArgumentException("models with var_idx are not supported");
        int varCount = OpenCvYaml.integer(m.get("var_count"), "var_count");
        int svTotal = OpenCvYaml.integer(m.get("sv_total"), "sv_total");
        List<?> svs = OpenCvYaml.list(m.get("support_vectors"), "support_vectors");
        if (svs.size() != svTotal) throw new IllegalArgumentException("sv_total is " + svTotal + " but " + svs.size() + " support vectors are stored");
        float[][] sv = new float[svTotal][];
        for (int i = 0; i < svTotal; i++) {
            double[] d = OpenCvYaml.numbers(svs.get(i), "support vector " + i);
            if (d.length != varCount) throw new IllegalArgumentException("support vector " + i + " has " + d.length + " values, var_count is " + varCount);
            sv[i] = new float[varCount];
            for (int k = 0; k < varCount; k++) sv[i][k] = (float) d[k];
        }
        List<?> dfs = OpenCvYaml.list(m.get("decision_functions"), "decision_functions");
        if (dfs.size() != 1) throw new IllegalArgumentException("a regression model has one decision function, found " + dfs.size());
        Map<?, ?> df = OpenCvYaml.map(dfs.get(0), "decision_functions[0]");
        int svCount = OpenCvYaml.integer(df.get("sv_count"), "sv_count");
        double rho = OpenCvYaml.number(df.get("rho"), "rho");
        double[] alpha = OpenCvYaml.numbers(df.get("alpha"), "alpha");
        if (alpha.length != svCount) throw new IllegalArgumentException("sv_count is " + svCount + " but " + alpha.length + " alphas are stored");
        float[][] used = sv;
        if (df.containsKey("index")) {
            double[] idx = OpenCvYaml.numbers(df.get("index"), "index");
            if (idx.length != svCount) throw new IllegalArgumentException("index has " + idx.length + " entries, sv_count is " + svCount);
            used = new float[svCount][];
            for (int i = 0; i < svCount; i++) {
                int j = (int) idx[i];
                if (j != idx[i] || j < 0 || j >= svTotal) throw new IllegalArgumentException("support vector index out of range: " + idx[i]);
                used[i] = sv[j];
            }
        } else if (svCount != svTotal) {
            throw new IllegalArgumentException("sv_count " + svCount + " differs from sv_total " + svTotal + " and no index is stored");
        }
        return new SvrModel(gamma, used, alpha, rho);
    }
}
