package io.cxr4j.analysis;

import io.cxr4j.data.Sample;
import io.cxr4j.eval.Calibration;
import io.cxr4j.eval.Prediction;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.model.Classifier;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.prep.MaskPlan;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores the labelled films of a dataset with a classifier, in batches: decode and mask in parallel, then
 * the network. Keeps each film's raw logits, so results at another temperature need no second pass. The
 * figures are computed from the predictions by {@code eval}.
 */
public final class DatasetScoring {
    private DatasetScoring() {}

    /** Predictions, the images that failed (each with a reason), and where each image's lung mask came from. */
    public record Run(List<Prediction> predictions, List<Batch.Failure> failures, Map<String, String> maskOf, List<float[][]> logits) {
        /** The same films' probabilities at another temperature (e.g. 1, uncalibrated), from the stored logits. */
        public List<Prediction> at(double temperature) {
            List<Prediction> out = new ArrayList<>();
            for (int i = 0; i < predictions.size(); i++) {
                Prediction p = predictions.get(i);
                out.add(new Prediction(p.sample(), p.truth(), Calibration.probabilities(logits.get(i), temperature)));
            }
            return out;
        }
    }

    /** Scores {@code samples}, each film with the first lung mask {@code plan} gives it. */
    public static Run run(Classifier model, List<Sample> samples, MaskPlan plan, int threads) {
        return run(model, samples, plan, threads, null);
    }

    /**
     * As {@link #run(Classifier, List, MaskPlan, int)}, with the input check (null: none): a film it refuses
     * (or whose predicted lungs it finds implausible) is a failure whose reason starts "not a frontal chest
     * X-ray". A film it would turn or invert is scored as given, since a collection's films are upright.
     */
    public static Run run(Classifier model, List<Sample> samples, MaskPlan plan, int threads, io.cxr4j.check.InputCheck check) {
        InputRecipe recipe = model.recipe();
        Map<String, InputRecipe.Crop> crops = new ConcurrentHashMap<>();
        Map<String, String> used = new ConcurrentHashMap<>();
        Progress prep = Progress.forStderr("prepare", samples.size());
        List<Batch.Failure> failures = Batch.run(samples, threads, Sample::image, prep, s -> {
            ImageReader.Decoded d = ImageReader.decode(s.image());
            GrayImage img = d.image();
            if (check != null) XrayAnalyzer.accepted(check.check(img, d.dicom(), d.colourfulness()));
            GrayImage mask = null;
            if (recipe.usesMask()) {
                MaskPlan.Named m = plan.first(s);
                mask = m.provider().lungMask(s, img);
                used.put(s.file(), m.name());
                if (!s.hasMaskSource()) XrayAnalyzer.requireLungs(check, mask);
            }
            crops.put(s.file(), recipe.crop(img, mask));
        });
        List<Sample> ok = samples.stream().filter(s -> crops.containsKey(s.file())).toList();
        List<Prediction> preds = new ArrayList<>();
        List<float[][]> allLogits = new ArrayList<>();
        Progress bar = Progress.forStderr("predict", ok.size());
        int bs = 64;
        for (int from = 0; from < ok.size(); from += bs) {
            List<Sample> part = ok.subList(from, Math.min(ok.size(), from + bs));
            List<float[][]> logits = model.logitsCrops(part.stream().map(s -> crops.get(s.file())).toList());
            for (int i = 0; i < part.size(); i++) {
                Sample s = part.get(i);
                int truth = s.label() == null ? -1 : model.card().classes().indexOf(s.label().id());
                preds.add(new Prediction(s, truth, Calibration.probabilities(logits.get(i), model.temperature())));
                allLogits.add(logits.get(i));
            }
            bar.advance(part.size());
        }
        return new Run(preds, failures, Map.copyOf(used), allLogits);
    }
}
