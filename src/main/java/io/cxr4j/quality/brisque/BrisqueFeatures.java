/*
 * A port of the BRISQUE feature computation in OpenCV's contrib quality module
 * (modules/quality/src/qualitybrisque.cpp, Apache License 2.0, https://github.com/opencv/opencv_contrib),
 * which derives from the BRISQUE software release and carries this notice, reproduced here as it asks:
 *
 * Copyright (c) 2011 The University of Texas at Austin
 * All rights reserved.
 *
 * Permission is hereby granted, without written agreement and without license or royalty fees, to use, copy,
 * modify, and distribute this code (the source files) and its documentation for
 * any purpose, provided that the copyright notice in its entirety appear in all copies of this code, and the
 * original source of this code, Laboratory for Image and Video Engineering (LIVE, http://live.ece.utexas.edu)
 * and Center for Perceptual Systems (CPS, http://www.cps.utexas.edu) at the University of Texas at Austin (UT Austin,
 * http://www.utexas.edu), is acknowledged in any publication that reports research using this code. The research
 * is to be cited in the bibliography as:
 *
 * 1) A. Mittal, A. K. Moorthy and A. C. Bovik, "BRISQUE Software Release",
 * URL: http://live.ece.utexas.edu/research/quality/BRISQUE_release.zip, 2011
 *
 * 2) A. Mittal, A. K. Moorthy and A. C. Bovik, "No Reference Image Quality Assessment in the Spatial Domain"
 * submitted
 *
 * IN NO EVENT SHALL THE UNIVERSITY OF TEXAS AT AUSTIN BE LIABLE TO ANY PARTY FOR DIRECT, INDIRECT, SPECIAL, INCIDENTAL,
 * OR CONSEQUENTIAL DAMAGES ARISING OUT OF THE USE OF THIS DATABASE AND ITS DOCUMENTATION, EVEN IF THE UNIVERSITY OF TEXAS
 * AT AUSTIN HAS BEEN ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 *
 * THE UNIVERSITY OF TEXAS AT AUSTIN SPECIFICALLY DISCLAIMS ANY WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE. THE DATABASE PROVIDED HEREUNDER IS ON AN "AS IS" BASIS,
 * AND THE UNIVERSITY OF TEXAS AT AUSTIN HAS NO OBLIGATION TO PROVIDE MAINTENANCE, SUPPORT, UPDATES, ENHANCEMENTS, OR MODIFICATIONS.
 */
package io.cxr4j.quality.brisque;

import io.cxr4j.image.GrayImage;

/**
 * The 36 BRISQUE features (Mittal, Moorthy and Bovik 2012) computed the way OpenCV's contrib
 * {@code cv::quality::QualityBRISQUE::computeFeatures} computes them, step by step and in the same
 * floating-point types:
 *
 * <ol>
 *   <li>grey levels become floats {@code v * (float)(1/255)} (range 0..1);</li>
 *   <li>at two scales (the image, then a copy resized to {@code (int)(w/2) x (int)(h/2)} with OpenCV's
 *       bicubic {@code INTER_CUBIC}, Keys kernel a = -0.75, edge pixels replicated), at each:</li>
 *   <li>MSCN coefficients {@code (I - mu) / (sigma + 1/255)}, where {@code mu} and {@code sigma^2 + mu^2}
 *       are 7x7 Gaussian blurs (sigma 7/6, edges replicated) of {@code I} and {@code I^2}; where rounding
 *       makes {@code sigma^2} negative OpenCV's square root gives NaN, and so does this;</li>
 *   <li>an asymmetric generalised Gaussian (AGGD) fit by moment matching to the MSCN image, whose shape
 *       and mean of the two variances are features 1-2 (OpenCV fits the AGGD here too, not the symmetric
 *       GGD of the paper; for symmetric data the two agree);</li>
 *   <li>AGGD fits to the products of each MSCN coefficient with its right, lower, lower-right and
 *       upper-right neighbour (outside the image the neighbour is 0): shape, mean, left and right
 *       variance for each, features 3-18;</li>
 *   <li>features 19-36: the same at half scale.</li>
 * </ol>
 *
 * The shape is found, as in OpenCV, by walking the grid 0.2, 0.201, ... (step 0.001, below 10) and
 * stopping at the first point where the distance between {@code Gamma(2/g)^2 / (Gamma(1/g) Gamma(3/g))}
 * and the sample ratio starts to grow. Features are floats, as in OpenCV.
 */
final class BrisqueFeatures {
    /** Number of features. */
    static final int COUNT = 36;

    static final float INV_255 = (float) (1.0 / 255.0);
    static final float C = (float) (1.0 / 255.0);
    static final int KSIZE = 7;
    static final double SIGMA = 7.0 / 6.0;
    static final float[] KERNEL = gaussianKernel(KSIZE, SIGMA);

    /** The AGGD shape grid and its moment ratios, as OpenCV walks them (accumulated double steps). */
    static final double[] GRID;
    static final double[] GRID_RATIO;

    static {
        int n = 0;
        for (double g = 0.2; g < 10; g += 0.001) n++;
        GRID = new double[n];
        GRID_RATIO = new double[n];
        int i = 0;
        for (double g = 0.2; g < 10; g += 0.001) {
            GRID[i] = g;
            GRID_RATIO[i] = ratio(g);
            i++;
        }
    }

    private BrisqueFeatures() {}

    /** {@code Gamma(2/g)^2 / (Gamma(1/g) Gamma(3/g))}, the moment ratio (E|X|)^2 / E[X^2] of a GGD of shape g. */
    static double ratio(double g) {
        double g2 = GammaFunction.gamma(2 / g);
        return g2 * g2 / (GammaFunction.gamma(1 / g) * GammaFunction.gamma(3 / g));
    }

    /** The 36 features of an 8-bit grey image. Images need at least 2 pixels on each side. */
    static float[] compute(GrayImage img) {
        int w = img.width(), h = img.height();
        if (w < 2 || h < 2) throw new IllegalArgumentException("BRISQUE needs at least 2x2 pixels, got " + w + "x" + h);
        float[] f = toFloat(img);
        float[] out = new float[COUNT];
        scaleFeatures(f, w, h, out, 0);
        int hw = halfSize(w), hh = halfSize(h);
        float[] half = resizeCubic(f, w, h, hw, hh);
        scaleFeatures(half, hw, hh, out, COUNT / 2);
        return out;
    }

    /** The second scale's side: OpenCV's {@code int(side / pow(2, 1))}, rounded down. */
    static int halfSize(int side) { return (int) (side / 2.0); }

    static float[] toFloat(GrayImage img) {
        byte[] p = img.pixels();
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) f[i] = (p[i] & 0xFF) * INV_255;
        return f;
    }

    private static void scaleFeatures(float[] img, int w, int h, float[] out, int at) {
        float[] mscn = mscn(img, w, h);
        Aggd a = Aggd.fit(mscn, w, h, 0, 0);
        out[at] = (float) a.shape();
        out[at + 1] = (float) (a.left() * a.left() + a.right() * a.right()) / 2;
        int[][] shifts = {{0, 1}, {1, 0}, {1, 1}, {-1, 1}};
        for (int s = 0; s < 4; s++) {
            Aggd p = Aggd.fit(mscn, w, h, shifts[s][0], shifts[s][1]);
            int k = at + 2 + 4 * s;
            out[k] = (float) p.shape();
            out[k + 1] = (float) p.mean();
            out[k + 2] = (float) (p.left() * p.left());
            out[k + 3] = (float) (p.right() * p.right());
        }
    }

    /** Mean-subtracted contrast-normalised coefficients of a float image (values 0..1), row-major. */
    static float[] mscn(float[] img, int w, int h) {
        float[] mu = blur(img, w, h, false);
        float[] out = blur(img, w, h, true);
        for (int i = 0; i < out.length; i++) {
            float m = mu[i];
            float var = out[i] - m * m;
            float sigma = (float) Math.sqrt(var) + C;
            out[i] = (img[i] - m) / sigma;
        }
        return out;
    }

    /**
     * OpenCV's {@code getGaussianKernel(ksize, sigma, CV_32F)}: {@code exp(-x^2 / (2 sigma^2))} for
     * x = -(ksize-1)/2 .. (ksize-1)/2 in double, normalised to sum 1, then rounded to float.
     */
    static float[] gaussianKernel(int n, double sigma) {
        double[] t = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = i - (n - 1) * 0.5;
            t[i] = Math.exp(-0.5 * x * x / (sigma * sigma));
            sum += t[i];
        }
        float[] k = new float[n];
        for (int i = 0; i < n; i++) k[i] = (float) (t[i] / sum);
        for (int i = 0; i < n / 2; i++) k[n - 1 - i] = k[i]; // symmetric, as OpenCV's kernel is
        return k;
    }

    /**
     * The 7x7 Gaussian blur of {@code img} (or of {@code img^2} rounded to float), separable, borders
     * replicated. Rows first, then columns, with fused multiply-adds in OpenCV's order (its AVX2 row and
     * symmetric column filters): a row output is {@code fma(x_6, k_6, ... fma(x_0, k_0, 0))}, a column
     * output {@code fma(r_{+3} + r_{-3}, k_3, ... fma(r_0, k_0, 0))} counting from the centre.
     */
    static float[] blur(float[] img, int w, int h, boolean square) {
        float[] k = KERNEL;
        int r = KSIZE / 2;
        float[] tmp = new float[w * h];
        float[] row = new float[w + 2 * r];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int x = 0; x < w + 2 * r; x++) {
                float v = img[o + Math.min(w - 1, Math.max(0, x - r))];
                row[x] = square ? v * v : v;
            }
            for (int x = 0; x < w; x++) {
                float s = 0f;
                for (int j = 0; j < KSIZE; j++) s = Math.fma(row[x + j], k[j], s);
                tmp[o + x] = s;
            }
        }
        float[] out = new float[w * h];
        float k0 = k[r];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            int c = o;
            for (int x = 0; x < w; x++) out[o + x] = tmp[c + x] * k0;
            for (int j = 1; j <= r; j++) {
                int up = Math.max(0, y - j) * w, down = Math.min(h - 1, y + j) * w;
                float kj = k[r + j];
                for (int x = 0; x < w; x++) out[o + x] = Math.fma(tmp[down + x] + tmp[up + x], kj, out[o + x]);
            }
        }
        return out;
    }

    /** OpenCV's {@code interpolateCubic}: Keys weights (a = -0.75) for the offset {@code x} in [0, 1), in float. */
    static void cubicWeights(float x, float[] c) {
        final float a = -0.75f;
        c[0] = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a;
        c[1] = ((a + 2) * x - (a + 3)) * x * x + 1;
        c[2] = ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1;
        c[3] = 1.f - c[0] - c[1] - c[2];
    }

    /**
     * OpenCV's {@code cv::resize(..., INTER_CUBIC)} of a float image: source coordinate
     * {@code (d + 0.5) * scale - 0.5} (scale = source/destination size), four taps per axis, indices
     * clamped to the image. Each row is filtered horizontally ({@code ((p0 + p1) + p2) + p3}), then the
     * four rows are combined vertically as OpenCV's 4-lane vector code does
     * ({@code p0 + (p1 + (p2 + p3))}), the last {@code dw mod 4} pixels of a row in scalar order.
     */
    static float[] resizeCubic(float[] src, int sw, int sh, int dw, int dh) {
        if (dw == sw && dh == sh) return src.clone();
        double scaleX = 1.0 / ((double) dw / sw), scaleY = 1.0 / ((double) dh / sh);
        int[] xofs = new int[dw];
        float[] alpha = new float[dw * 4];
        float[] c = new float[4];
        for (int dx = 0; dx < dw; dx++) {
            float fx = (float) ((dx + 0.5) * scaleX - 0.5);
            int sx = (int) Math.floor(fx);
            fx -= sx;
            xofs[dx] = sx;
            cubicWeights(fx, c);
            System.arraycopy(c, 0, alpha, dx * 4, 4);
        }
        float[][] rows = new float[4][dw];
        float[] out = new float[dw * dh];
        int vecEnd = dw - dw % 4;
        for (int dy = 0; dy < dh; dy++) {
            float fy = (float) ((dy + 0.5) * scaleY - 0.5);
            int sy = (int) Math.floor(fy);
            fy -= sy;
            cubicWeights(fy, c);
            for (int k = 0; k < 4; k++) {
                int yy = Math.min(sh - 1, Math.max(0, sy - 1 + k)) * sw;
                float[] d = rows[k];
                for (int dx = 0; dx < dw; dx++) {
                    int sx = xofs[dx], a = dx * 4;
                    float v = src[yy + Math.min(sw - 1, Math.max(0, sx - 1))] * alpha[a];
                    v += src[yy + Math.min(sw - 1, Math.max(0, sx))] * alpha[a + 1];
                    v += src[yy + Math.min(sw - 1, Math.max(0, sx + 1))] * alpha[a + 2];
                    v += src[yy + Math.min(sw - 1, Math.max(0, sx + 2))] * alpha[a + 3];
                    d[dx] = v;
                }
            }
            float b0 = c[0], b1 = c[1], b2 = c[2], b3 = c[3];
            float[] s0 = rows[0], s1 = rows[1], s2 = rows[2], s3 = rows[3];
            int o = dy * dw;
            int x = 0;
            for (; x < vecEnd; x++) out[o + x] = s0[x] * b0 + (s1[x] * b1 + (s2[x] * b2 + s3[x] * b3));
            for (; x < dw; x++) out[o + x] = s0[x] * b0 + s1[x] * b1 + s2[x] * b2 + s3[x] * b3;
        }
        return out;
    }

    /**
     * Moment-matching AGGD fit, OpenCV's {@code AGGDfit}: left and right standard deviations from the
     * negative and positive values (zeros and NaNs count in neither but in the total), the shape from the
     * grid walk, and the mean {@code (right - left) Gamma(2/g) / sqrt(Gamma(1/g) Gamma(3/g))}.
     */
    record Aggd(double shape, double left, double right) {
        double mean() {
            double constant = Math.sqrt(GammaFunction.gamma(1 / shape)) / Math.sqrt(GammaFunction.gamma(3 / shape));
            return (right - left) * (GammaFunction.gamma(2 / shape) / GammaFunction.gamma(1 / shape)) * constant;
        }

        /**
         * Fits the values {@code v[i][j] * v[i+di][j+dj]} (products with a neighbour, 0 outside the image);
         * with {@code di = dj = 0} the values themselves.
         */
        static Aggd fit(float[] v, int w, int h, int di, int dj) {
            long pos = 0, neg = 0;
            double posSq = 0, negSq = 0, abs = 0;
            boolean self = di == 0 && dj == 0;
            for (int i = 0; i < h; i++) {
                int ii = i + di;
                boolean rowIn = ii >= 0 && ii < h;
                for (int j = 0; j < w; j++) {
                    double pt;
                    if (self) {
                        pt = v[i * w + j];
                    } else {
                        int jj = j + dj;
                        if (!rowIn || jj < 0 || jj >= w) continue; // product with 0: neither sign
                        pt = v[i * w + j] * v[ii * w + jj];
                    }
                    if (pt > 0) {
                        pos++;
                        posSq += pt * pt;
                        abs += pt;
                    } else if (pt < 0) {
                        neg++;
                        negSq += pt * pt;
                        abs -= pt;
                    }
                }
            }
            return fromSums(pos, neg, posSq, negSq, abs, (long) w * h);
        }

        static Aggd fromSums(long pos, long neg, double posSq, double negSq, double abs, long total) {
            double left = Math.pow(negSq / neg, 0.5);
            double right = Math.pow(posSq / pos, 0.5);
            double gammaHat = left / right;
            double m = abs / total;
            double rHat = m * m / ((negSq + posSq) / total);
            double g2 = gammaHat * gammaHat + 1;
            double rHatNorm = rHat * (Math.pow(gammaHat, 3) + 1) * (gammaHat + 1) / (g2 * g2);
            return new Aggd(shapeFor(rHatNorm), left, right);
        }

        /** The grid walk: the first grid shape after which the distance to {@code r} grows (NaN: the last). */
        static double shapeFor(double r) {
            double prevGamma = 0, prevDiff = 1e10;
            for (int i = 0; i < GRID.length; i++) {
                double diff = Math.abs(GRID_RATIO[i] - r);
                if (diff > prevDiff) break;
                prevDiff = diff;
                prevGamma = GRID[i];
            }
            return prevGamma;
        }
    }
}
