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
                      List<Disagreement> disagreements, Map<String, Integer> otherFindings, List<Path> roots) {

    public enum Layout { DARWIN, CLASS_FOLDERS }

    /** A file that was skipped, and why (one line). */
    public record Problem(Path file, String reason) {
        @Override
        public String toString() { return file + ": " + reason; }
    }

    /** metadata.csv and the annotation's tags name different classes for one image. */
    public record Disagreement(String file, String metadataLabel, String tagLabel) {}

    public Dataset(Path root, Layout layout, List<Sample> samples, List<Problem> problems,
                   List<Disagreement> disagreements, Map<String, Integer> otherFindings) {
        this(root, layout, samples, problems, disagreements, otherFindings, List.of(root));
    }

    public Dataset {
        roots = List.copyOf(roots);
        samples = List.copyOf(samples);
        problems = List.copyOf(problems);
        disagreements = List.copyOf(disagreements);
        otherFindings = Map.copyOf(otherFindings);
    }

    /** Samples with one of the four labels. */
    public List<Sample> labelled() {
        return samples.stream().filter(s -> s.label() != null).toList();
    }

    /** Samples with one of the four labels or the coarse "pneumonia" label (bacterial or viral, type unknown). */
    public List<Sample> withTargets() {
        return samples.stream().filter(Sample::hasTarget).toList();
    }

    /** The coarse-labelled samples alone. */
    public List<Sample> coarse() {
        return samples.stream().filter(Sample::isCoarse).toList();
    }

    /** A short name for these datasets: the folder names joined by '+'. */
    public String name() {
        return String.join("+", roots.stream().map(r -> {
            Path f = r.toAbsolutePath().normalize().getFileName();
            return f == null ? r.toString() : f.toString();
        }).toList());
    }

    /**
     * Several datasets read as one. Their problems are kept; an image whose file name another dataset
     * already has is left out (file names key the split and the reports) and named as a problem.
     */
    public static Dataset combine(List<Dataset> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("no dataset");
        if (parts.size() == 1) return parts.get(0);
        List<Sample> samples = new java.util.ArrayList<>();
        List<Problem> problems = new java.util.ArrayList<>();
        List<Disagreement> dis = new java.util.ArrayList<>();
        Map<String, Integer> other = new java.util.TreeMap<>();
        List<Path> roots = new java.util.ArrayList<>();
        java.util.Set<String> files = new java.util.HashSet<>();
        for (Dataset d : parts) {
            roots.addAll(d.roots());
            problems.addAll(d.problems());
            dis.addAll(d.disagreements());
            d.otherFindings().forEach((k, v) -> other.merge(k, v, Integer::sum));
            for (Sample s : d.samples()) {
                if (!files.add(s.file())) {
                    problems.add(new Problem(s.image(), "another dataset already has an image named " + s.file() + "; left out"));
                    continue;
                }
                samples.add(s);
            }
        }
        Layout layout = parts.stream().allMatch(d -> d.layout() == Layout.CLASS_FOLDERS) ? Layout.CLASS_FOLDERS : Layout.DARWIN;
        return new Dataset(parts.get(0).root(), layout, samples, problems, dis, other, roots);
    }
}
