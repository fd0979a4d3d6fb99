package io.cxr4j.check;

import io.cxr4j.engine.Net;
import io.cxr4j.eval.Softmax;
import io.cxr4j.image.DicomFacts;
import io.cxr4j.image.GrayImage;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a film is a frontal chest X-ray before any label is given: DICOM header facts (a lateral
 * View Position, a CT modality), then {@link ImageStats}, then the check network; a film the network reads
 * as turned or inverted with at least {@code fix} probability is corrected and read again. The lung-shape
 * step runs later, once the lungs are segmented ({@link #lungReason}). Thread-safe (the network runs one
 * call at a time).
 */
public final class InputCheck implements AutoCloseable {
    private final CheckCard card;
    private final Net net;

    private InputCheck(CheckCard card, Net net) {
        this.card = card;
        this.net = net;
    }

    public static InputCheck load(Path dir) throws BadInputException {
        CheckCard card = CheckCard.read(dir);
        try {
            return new InputCheck(card, Net.load(card.architecture(), dir.resolve(card.params())));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(dir + ": cannot load the input-check network (" + e.getMessage() + ")", e);
        }
    }

    /** For training and tests: a check over a network in memory. */
    public static InputCheck of(CheckCard card, Net net) { return new InputCheck(card, net); }

    public CheckCard card() { return card; }

    /** The network's probabilities for each kind (in {@link CheckKind} order). */
    public float[] probabilities(GrayImage img) {
        int s = card.architecture().inputSize();
        float[] x = new float[s * s];
        CheckInput.toInput(CheckInput.square(img, s), x, 0);
        float[] logits;
        synchronized (net) {
            logits = net.forward(x, 1);
        }
        return Softmax.of(logits, 0, logits.length);
    }

    /** The verdict on a decoded film; {@code dicom} may be null, {@code colourfulness} 0 for grey files. */
    public Verdict check(GrayImage img, DicomFacts dicom, double colourfulness) {
        if (dicom != null) {
            String view = dicom.viewPosition().toUpperCase(Locale.ROOT);
            if (view.equals("LL") || view.equals("RL") || view.equals("LAT") || view.equals("LATERAL") || view.equals("LLD") || view.equals("RLD")) {
                return Verdict.refused("lateral view (DICOM View Position " + view + ")", CheckKind.LATERAL, Double.NaN);
            }
            String mod = dicom.modality().toUpperCase(Locale.ROOT);
            if (mod.equals("CT") || mod.equals("MR") || mod.equals("PT") || mod.equals("US") || mod.equals("NM")) {
                return Verdict.refused((mod.equals("CT") ? "CT slice" : "not a radiograph") + " (DICOM Modality " + mod + ")", CheckKind.OTHER, Double.NaN);
            }
        }
        String stats = ImageStats.measure(img, colourfulness).reason(card.statsLimits());
        if (stats != null) return Verdict.refused(stats, null, Double.NaN);
        float[] p = probabilities(img);
        if (p[CheckKind.FRONTAL.ordinal()] >= card.accept()) return new Verdict(true, null, List.of(), img, CheckKind.FRONTAL, p[0]);
        CheckKind k = strongestOther(p);
        if (k.correctable() && p[k.ordinal()] >= card.fix()) {
            GrayImage fixed = Orientation.correct(img, k);
            float[] q = probabilities(fixed);
            if (q[CheckKind.FRONTAL.ordinal()] >= card.accept()) {
                List<String> notes = new ArrayList<>();
                notes.add(Orientation.correctionNote(k));
                return new Verdict(true, null, notes, fixed, k, q[0]);
            }
        }
        return Verdict.refused(k.reason, k, p[0]);
    }

    /** The lung-shape reason for a segmented film, or null when two plausible lungs were found. */
    public String lungReason(GrayImage mask) {
        return LungShape.of(mask).reason(card.lungLimits());
    }

    static CheckKind strongestOther(float[] p) {
        int best = 1;
        for (int i = 2; i < p.length; i++) if (p[i] > p[best]) best = i;
        return CheckKind.values()[best];
    }

    @Override
    public void close() {
        net.close();
    }
}
