package io.cxr4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A scanned dataset: every image that could be used ({@link #samples}), and what was wrong with the
 * rest ({@link #problems}), label disagreements between metadata.csv and tags, and a count of images
 * whose finding lies outside the four classes.
 */
public record Dataset(Path root, Layout layout, List<Sample> samples, List<Problem> problems,
                      List<Disagreement> disagreements, Map<String, Integer> otherFindings) {

    public enum Layout { DARWIN, CLASS_FOLDERS }

    /** A file that was skipped, and why (one line). */
    public record Problem(Path file, String reason) {
        @Override
        public String toString() { return file + ": " + reason; }
    }

    /** metadata.csv and the annotation's tags name different classes for one image. */
    public record Disagreement(String file, String metadataLabel, String tagLabel) {}

    public Dataset {
        samples = List.copyOf(samples);
        problems = List.copyOf(problems);
        disagreements = List.copyOf(disagreements);
        otherFindings = Map.copyOf(otherFindings);
    }

    /** Samples with one of the four labels. */
    public List<Sample> labelled() {
        return samples.stream().filter(s -> s.label() != null).toList();
    }
}
