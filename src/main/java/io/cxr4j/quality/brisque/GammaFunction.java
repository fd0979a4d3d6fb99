package io.cxr4j.quality.brisque;

/**
 * The gamma function for positive arguments (the BRISQUE fits need it between 0.1 and 15), by the
 * Lanczos approximation with Godfrey's g = 607/128, 15-term coefficients (relative error about 1e-15),
 * and the reflection-free recurrence {@code Gamma(x) = Gamma(x + 1) / x} below 0.5.
 */
final class GammaFunction {
    private static final double G = 607.0 / 128.0;
    private static final double[] LANCZOS = {
        0.99999999999999709182,
        57.156235665862923517,
        -59.597960355475491248,
        14.136097974741747174,
        -0.49191381609762019978,
        .33994649984811888699e-4,
        .46523628927048575665e-4,
        -.98374475304879564677e-4,
        .15808870322491248884e-3,
        -.21026444172410488319e-3,
        .21743961811521264320e-3,
        -.16431810653676389022e-3,
        .84418223983852743293e-4,
        -.26190838401581408670e-4,
        .36899182659531622704e-5,
    };
    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

    private GammaFunction() {}

    static double gamma(double x) {
        if (Double.isNaN(x) || x <= 0) return Double.NaN;
        if (x < 0.5) return gamma(x + 1) / x;
        if (x > 171.7) return Double.POSITIVE_INFINITY;
        // Gamma(x) = sqrt(2 pi) / x * t^(x + 0.5) * e^-t * A(x), t = x + g + 0.5, A the Lanczos sum
        double sum = LANCZOS[0];
        for (int i = LANCZOS.length - 1; i > 0; i--) sum += LANCZOS[i] / (x + i);
        double t = x + G + 0.5;
        double half = Math.pow(t, 0.5 * (x + 0.5));
        return SQRT_2PI / x * half * (half * Math.exp(-t)) * sum;
    }
}
