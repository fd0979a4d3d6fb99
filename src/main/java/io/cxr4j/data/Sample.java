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

    public String stem() { return PatientIds.stem(file); }

    public boolean hasMaskSource() { return annotation != null || mask != null; }

    /** The label's id, or the finding, or "unlabelled". */
    public String labelOrFinding() {
        if (label != null) return label.id();
        return finding != null ? finding : "unlabelled";
    }
}
