package io.cxr4j.check;

import io.cxr4j.image.GrayImage;

import java.util.List;

/**
 * The input check's answer for one film: accepted (possibly after safe corrections, named in
 * {@code corrections}, with {@code image} the corrected film) or refused with a short {@code reason}.
 * {@code kind} is the network's reading (null when the statistics refused first); {@code pFrontal} its
 * probability of a frontal film (NaN when the network did not run).
 */
public record Verdict(boolean accepted, String reason, List<String> corrections, GrayImage image, CheckKind kind, double pFrontal) {
    public Verdict {
        corrections = List.copyOf(corrections);
    }

    public static Verdict refused(String reason, CheckKind kind, double pFrontal) {
        return new Verdict(false, reason, List.of(), null, kind, pFrontal);
    }
}
