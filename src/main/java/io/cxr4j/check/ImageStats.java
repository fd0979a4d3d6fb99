package io.cxr4j.check;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps;

/**
 * Pure statistics that refuse what is plainly not a film before any network runs: too small, blank,
 * noise (neighbouring pixels unrelated, unlike any radiograph), colour (a photograph or graphic; radiographs
 * saved as colour files stay near 0), and flat-coloured graphics (a few grey levels cover most of the
 * picture). Measured on a copy of at most 256 px a side.
 *
 * @param minSide        the film's shorter side in pixels
 * @param std            standard deviation of the grey levels
 * @param neighbourCorr  correlation of horizontally and vertically adjacent pixels (about 0.95-1 for films,
 *                       about 0 for noise)
 * @param colourfulness  Hasler and Suesstrunk's colourfulness of the decoded file (0 for grey files)
 * @param topLevels      share of pixels taken by the 3 commonest grey levels
 */
public record ImageStats(int minSide, double std, double neighbourCorr, double colourfulness, double topLevels) {
    public static final int STATS_SIDE = 256;

    /** Refusal limits; their values are stored in the check's model.json. */
    public record Limits(int minSide, double minStd, double minNeighbourCorr, double maxColourfulness, double maxTopLevels) {
        public static final Limits DEFAULT = new Limits(64, 4.0, 0.5, 20.0, 0.6);
    }

    public static ImageStats measure(GrayImage img, double colourfulness) {
        int minSide = Math.min(img.width(), img.height());
        GrayImage s = img;
        int longest = Math.max(img.width(), img.height());
        if (longest > STATS_SIDE) {
            double f = STATS_SIDE / (double) longest;
            s = ImageOps.resize(img, Math.max(1, (int) Math.round(img.width() * f)), Math.max(1, (int) Math.round(img.height() * f)));
        }
        int w = s.width(), h = s.height();
        byte[] p = s.pixels();
        long[] hist = new long[256];
        double sum = 0, sum2 = 0;
        for (byte b : p) {
            int v = b & 0xFF;
            hist[v]++;
            sum += v;
            sum2 += (double) v * v;
        }
        int n = p.length;
        double mean = sum / n;
        double var = Math.max(0, sum2 / n - mean * mean);
        // correlation of each pixel with its right and lower neighbour, pooled
        double sxy = 0;
        long pairs = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = (p[y * w + x] & 0xFF) - mean;
                if (x + 1 < w) { sxy += a * ((p[y * w + x + 1] & 0xFF) - mean); pairs++; }
                if (y + 1 < h) { sxy += a * ((p[(y + 1) * w + x] & 0xFF) - mean); pairs++; }
            }
        }
        double corr = var <= 0 || pairs == 0 ? 1 : (sxy / pairs) / var;
        long[] sorted = hist.clone();
        java.util.Arrays.sort(sorted);
        double top = (sorted[255] + sorted[254] + sorted[253]) / (double) n;
        return new ImageStats(minSide, Math.sqrt(var), corr, colourfulness, top);
    }

    /** The refusal reason these statistics give, or null when they see nothing wrong. */
    public String reason(Limits l) {
        if (minSide < l.minSide()) return "too small (" + minSide + " px on its shorter side; at least " + l.minSide() + " needed)";
        if (std < l.minStd()) return "blank: a nearly uniform image";
        if (neighbourCorr < l.minNeighbourCorr()) return "noise: neighbouring pixels are unrelated, unlike any radiograph";
        if (colourfulness > l.maxColourfulness()) return "not a radiograph (a colour image: photo, graphic or document)";
        if (topLevels > l.maxTopLevels()) return "not a radiograph (flat-coloured graphic, document or screenshot)";
        return null;
    }
}
