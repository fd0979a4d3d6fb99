package io.cxr4j.audit;

import io.cxr4j.data.Sample;
import io.cxr4j.eval.Prediction;
import io.cxr4j.explain.HeatShare;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.model.Classifier;
import io.cxr4j.prep.MaskProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Where a classifier looks over a dataset: the Grad-CAM heat of the predicted class on evaluated films,
 * as the mean share of positive heat inside the lung mask, on the mask's outer {@link HeatShare#BAND}-pixel
 * rim and just outside it (measured at the model's input size, so the band is the same fraction of every
 * crop). A random sample of films keeps it affordable; the sample is fixed by its seed.
 */
public final class HeatSurvey {
    private HeatSurvey() {}

    /** Mean shares over {@code films} films (of {@code of} evaluated); {@code failed} films could not be read again. */
    public record Summary(int films, int of, int failed, double inLungs, double inRim, double justOutside, double rimArea) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", "Grad-CAM of the predicted class on the last residual stage, at the model's input size");
            m.put("films", films);
            m.put("sampled_from", of);
            if (failed > 0) m.put("unreadable", failed);
            m.put("band_px", HeatShare.BAND);
            m.put("share_in_lungs", round(inLungs));
            m.put("share_in_outer_band", round(inRim));
            m.put("share_just_outside_band", round(justOutside));
            m.put("outer_band_share_of_lung_area", round(rimArea));
            return m;
        }
    }

    /** The mean of per-film shares (films without heat left out); null when there are none. */
    public static Summary mean(List<HeatShare> shares, int of, int failed) {
        double a = 0, b = 0, c = 0, d = 0;
        int n = 0;
        for (HeatShare s : shares) {
            if (s == null) continue;
            a += s.inLungs();
            b += s.inRim();
            c += s.justOutside();
            d += s.rimArea();
            n++;
        }
        if (n == 0) return null;
        return new Summary(n, of, failed, a / n, b / n, c / n, d / n);
    }

    /** A fixed random sample of at most {@code max} predictions (all when fewer), in file order. */
    public static List<Prediction> sample(List<Prediction> preds, int max, long seed) {
        List<Prediction> all = new ArrayList<>(preds);
        all.sort(Comparator.comparing(p -> p.sample().file()));
        if (all.size() > max) {
            java.util.Collections.shuffle(all, new Random(seed));
            all = new ArrayList<>(all.subList(0, max));
            all.sort(Comparator.comparing(p -> p.sample().file()));
        }
        return all;
    }

    /** Reads each sampled film and its mask again and measures its heat for the class the model predicted. */
    public static Summary run(Classifier model, List<Prediction> preds, MaskProvider masks, int max, long seed) {
        List<Prediction> picked = sample(preds, max, seed);
        List<HeatShare> shares = new ArrayList<>();
        int failed = 0;
        for (Prediction p : picked) {
            Sample s = p.sample();
            try {
                GrayImage img = ImageReader.read(s.image());
                if (model.recipe().usesMask()) {
                    shares.add(model.explain(img, masks.lungMask(s, img), p.predicted()).shares());
                } else {
                    // a whole-image model sees no mask, but the question is the same: how much heat falls in the
                    // film's lungs; measured on the film, with the band scaled as the input scales the film
                    GrayImage lungs = io.cxr4j.mask.MaskOps.binarise(masks.lungMask(s, img));
                    GrayImage heat = model.explain(img, null, p.predicted()).filmHeat();
                    float[] h = new float[heat.pixels().length];
                    for (int i = 0; i < h.length; i++) h[i] = heat.pixels()[i] & 0xFF;
                    int band = Math.max(1, (int) Math.round(HeatShare.BAND * Math.max(img.width(), img.height())
                            / (double) model.recipe().size()));
                    shares.add(HeatShare.of(h, lungs, band));
                }
            } catch (Exception e) {
                failed++;
            }
        }
        return mean(shares, preds.size(), failed);
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
