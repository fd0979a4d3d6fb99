package io.cxr4j.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * One X-ray of a dataset. {@code annotation} and {@code mask} are the lung-mask sources (either may be
 * null); {@code label} is null when the image's finding is outside the four classes (then
 * {@code finding} says what it is) or unknown. {@code meta} holds the image's metadata.csv row.
 */
public record Sample(String file, Path image, Path annotation, Path mask, Label label, String finding,
                     String patientId, String view, String source, Map<String, String> meta) {

    public Sample {
        meta = meta == null ? Map.of() : Map.copyOf(meta);
    }

    /** The finding of a coarse label: non-COVID pneumonia whose type (bacterial or viral) is not known. */
    public static final String COARSE_PNEUMONIA = "pneumonia";

    public String stem() { return PatientIds.stem(file); }

    /** True for a coarse "pneumonia" label: bacterial OR viral, type unknown. */
    public boolean isCoarse() { return label == null && COARSE_PNEUMONIA.equals(finding); }

    /** Usable for training and evaluation: one of the four classes, or the coarse pneumonia label. */
    public boolean hasTarget() { return label != null || isCoarse(); }

    /**
     * The classes the truth allows: the label alone, bacterial and viral pneumonia for the coarse label,
     * none otherwise.
     */
    public java.util.Set<Label> targets() {
        if (label != null) return java.util.EnumSet.of(label);
        if (isCoarse()) return java.util.EnumSet.of(Label.BACTERIAL_PNEUMONIA, Label.VIRAL_PNEUMONIA);
        return java.util.EnumSet.noneOf(Label.class);
    }

    public boolean hasMaskSource() { return annotation != null || mask != null; }

    /** The label's id, or the finding, or "unlabelled". */
    public String labelOrFinding() {
        if (label != null) return label.id();
        return finding != null ? finding : "unlabelled";
    }
}
