package io.cxr4j.data;

import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A stratified train/val/test split by patient: all images of one patient fall in one part, and each
 * class is spread over the parts in about the requested proportions. Deterministic for a seed.
 */
public final class PatientSplit {
    public enum Part {
        TRAIN, VAL, TEST;

        public String id() { return name().toLowerCase(Locale.ROOT); }

        public static Part of(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final Map<String, Part> partByFile;
    private final long seed;

    private PatientSplit(Map<String, Part> partByFile, long seed) {
        this.partByFile = partByFile;
        this.seed = seed;
    }

    /** A split given file by file (e.g. made by another tool); {@link #read} reads one from its CSV. */
    public static PatientSplit fromParts(Map<String, Part> partByFile, long seed) {
        return new PatientSplit(new HashMap<>(partByFile), seed);
    }

    public long seed() { return seed; }

    public Part partOf(Sample s) { return partByFile.get(s.file()); }

    public List<Sample> select(List<Sample> samples, Part part) {
        return samples.stream().filter(s -> partByFile.get(s.file()) == part).toList();
    }

    /** The stratum of a sample: its source and its label (or coarse label), e.g. {@code nih/healthy}. */
    static String stratum(Sample s) {
        return (s.source() == null ? "unknown" : s.source()) + "/" + s.labelOrFinding();
    }

    /**
     * Splits samples that have a target (one of the four labels or the coarse pneumonia label), stratified by
     * source and label together, so every source contributes to each part in about the requested proportions.
     * {@code patientGroups} maps a patient id to a group id for patients known to be the same person (may be
     * empty); grouped patients always share a part. A source with at least three patients is then made to
     * appear in every part, moving one patient where a part lacks it.
     */
    public static PatientSplit create(List<Sample> samples, double valFraction, double testFraction, long seed,
                                      Map<String, String> patientGroups) {
        if (valFraction < 0 || testFraction < 0 || valFraction + testFraction >= 1) {
            throw new IllegalArgumentException("val and test fractions must be >= 0 and sum to less than 1");
        }
        // group images by (merged) patient
        Map<String, List<Sample>> byPatient = new TreeMap<>();
        for (Sample s : samples) {
            if (!s.hasTarget()) continue;
            String p = patientGroups.getOrDefault(s.patientId(), s.patientId());
            byPatient.computeIfAbsent(p, k -> new ArrayList<>()).add(s);
        }
        // stratum = the patient's most frequent source/label (ties: the first in sorted order)
        Map<String, List<String>> strata = new TreeMap<>();
        Map<String, String> sourceOf = new HashMap<>();
        for (Map.Entry<String, List<Sample>> e : byPatient.entrySet()) {
            Map<String, Integer> counts = new TreeMap<>();
            for (Sample s : e.getValue()) counts.merge(stratum(s), 1, Integer::sum);
            String best = null;
            for (var c : counts.entrySet()) if (best == null || c.getValue() > counts.get(best)) best = c.getKey();
            strata.computeIfAbsent(best, k -> new ArrayList<>()).add(e.getKey());
            sourceOf.put(e.getKey(), best.substring(0, best.lastIndexOf('/')));
        }
        Random rnd = new Random(seed);
        Map<String, Part> partOfPatient = new HashMap<>();
        for (List<String> patients : strata.values()) {
            List<String> shuffled = new ArrayList<>(patients);
            Collections.shuffle(shuffled, rnd);
            int total = 0;
            for (String p : shuffled) total += byPatient.get(p).size();
            double testTarget = total * testFraction, valTarget = total * valFraction;
            int nTest = 0, nVal = 0;
            for (String p : shuffled) {
                int n = byPatient.get(p).size();
                Part part;
                // put the patient where it brings the count closest to the target without skipping parts
                if (nTest < testTarget && Math.abs(nTest + n - testTarget) <= Math.abs(nTest - testTarget) + 1e-9) {
                    part = Part.TEST;
                    nTest += n;
                } else if (nVal < valTarget && Math.abs(nVal + n - valTarget) <= Math.abs(nVal - valTarget) + 1e-9) {
                    part = Part.VAL;
                    nVal += n;
                } else {
                    part = Part.TRAIN;
                }
                partOfPatient.put(p, part);
            }
        }
        coverEverySource(partOfPatient, sourceOf, valFraction, testFraction);
        Map<String, Part> out = new HashMap<>();
        for (var e : byPatient.entrySet()) for (Sample s : e.getValue()) out.put(s.file(), partOfPatient.get(e.getKey()));
        return new PatientSplit(out, seed);
    }

    /**
     * Keeps the parts of an earlier split and splits only what it lacks: a patient with any image in
     * {@code prior} stays in that part with all of their images; the other patients are split by
     * {@link #create}. So a model trained on more data can be compared with an earlier one on the same test
     * patients, and a segmenter trained on the earlier train part has not seen the test patients.
     */
    public static PatientSplit extend(PatientSplit prior, List<Sample> samples, double valFraction, double testFraction, long seed,
                                      Map<String, String> patientGroups) {
        Map<String, Part> partOfPatient = new HashMap<>();
        for (Sample s : samples) {
            Part p = prior.partByFile.get(s.file());
            if (p != null && s.hasTarget()) partOfPatient.putIfAbsent(patientGroups.getOrDefault(s.patientId(), s.patientId()), p);
        }
        List<Sample> rest = new ArrayList<>();
        Map<String, Part> out = new HashMap<>();
        for (Sample s : samples) {
            if (!s.hasTarget()) continue;
            Part p = partOfPatient.get(patientGroups.getOrDefault(s.patientId(), s.patientId()));
            if (p != null) out.put(s.file(), p); else rest.add(s);
        }
        if (!rest.isEmpty()) out.putAll(create(rest, valFraction, testFraction, seed, patientGroups).partByFile);
        return new PatientSplit(out, seed);
    }

    /**
     * Takes an earlier split file by file, not by patient: each image keeps its own part, so one patient's
     * images may sit in different parts. This is the image-level split the original work used; it exists to
     * measure how much that leak inflates a test figure ({@code train --split-unit image}), never for a
     * shipped model. Images the earlier split lacks are split by {@link #create}.
     */
    public static PatientSplit byImage(PatientSplit prior, List<Sample> samples, double valFraction, double testFraction, long seed) {
        Map<String, Part> out = new HashMap<>();
        List<Sample> rest = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.hasTarget()) continue;
            Part p = prior.partByFile.get(s.file());
            if (p != null) out.put(s.file(), p); else rest.add(s);
        }
        if (!rest.isEmpty()) out.putAll(create(rest, valFraction, testFraction, seed, Map.of()).partByFile);
        return new PatientSplit(out, seed);
    }

    /** Where a source with >= 3 patients is missing from a (requested) part, move one of its patients there from its largest part. */
    private static void coverEverySource(Map<String, Part> partOfPatient, Map<String, String> sourceOf, double val, double test) {
        Map<String, List<String>> bySource = new TreeMap<>();
        for (String p : new java.util.TreeSet<>(partOfPatient.keySet())) bySource.computeIfAbsent(sourceOf.get(p), k -> new ArrayList<>()).add(p);
        for (List<String> patients : bySource.values()) {
            if (patients.size() < 3) continue;
            for (Part want : Part.values()) {
                if ((want == Part.VAL && val == 0) || (want == Part.TEST && test == 0)) continue;
                if (patients.stream().anyMatch(p -> partOfPatient.get(p) == want)) continue;
                Map<Part, Integer> n = new EnumMap<>(Part.class);
                for (String p : patients) n.merge(partOfPatient.get(p), 1, Integer::sum);
                Part from = n.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                if (n.get(from) < 2) continue;
                for (String p : patients) {
                    if (partOfPatient.get(p) == from) {
                        partOfPatient.put(p, want);
                        break;
                    }
                }
            }
        }
    }

    /** CSV with columns {@code file,label,patient_id,split,source} (split 4th, as before sources were recorded), in the samples' order. */
    public String toCsv(List<Sample> samples) {
        return toCsv(samples, Map.of());
    }

    /**
     * As {@link #toCsv(List)}, with a {@code mask} column (where each image's lung mask came from) when
     * {@code maskOf} is not empty.
     */
    public String toCsv(List<Sample> samples, Map<String, String> maskOf) {
        boolean masks = !maskOf.isEmpty();
        StringBuilder sb = new StringBuilder("file,label,patient_id,split,source" + (masks ? ",mask" : "") + "\n");
        for (Sample s : samples) {
            Part p = partByFile.get(s.file());
            if (p == null) continue;
            String src = s.source() == null ? "" : s.source();
            sb.append(masks ? Csv.line(s.file(), s.labelOrFinding(), s.patientId(), p.id(), src, maskOf.getOrDefault(s.file(), ""))
                    : Csv.line(s.file(), s.labelOrFinding(), s.patientId(), p.id(), src));
        }
        return sb.toString();
    }

    public void write(Path csv, List<Sample> samples) throws IOException {
        write(csv, samples, Map.of());
    }

    public void write(Path csv, List<Sample> samples, Map<String, String> maskOf) throws IOException {
        AtomicFiles.writeString(csv, "# seed=" + seed + "\n" + toCsv(samples, maskOf));
    }

    /** Reads a split written by {@link #write}. */
    public static PatientSplit read(Path csv) throws BadInputException {
        Map<String, Part> m = new LinkedHashMap<>();
        long seed = -1;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            r.mark(1 << 16);
            String first = r.readLine();
            if (first != null && first.startsWith("# seed=")) seed = Long.parseLong(first.substring(7).trim());
            else r.reset();
            List<List<String>> rows = Csv.read(r);
            if (rows.isEmpty() || !rows.get(0).contains("split") || !rows.get(0).contains("file")) {
                throw new BadInputException("not a split CSV (needs 'file' and 'split' columns)");
            }
            int fc = rows.get(0).indexOf("file"), sc = rows.get(0).indexOf("split");
            for (int i = 1; i < rows.size(); i++) m.put(rows.get(i).get(fc), Part.of(rows.get(i).get(sc)));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("cannot read split CSV: " + e.getMessage());
        }
        return new PatientSplit(m, seed);
    }

    /** Number of images per part and label. */
    public Map<Part, Map<Label, Integer>> counts(List<Sample> samples) {
        Map<Part, Map<Label, Integer>> c = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            Map<Label, Integer> m = new EnumMap<>(Label.class);
            for (Label l : Label.values()) m.put(l, 0);
            c.put(p, m);
        }
        for (Sample s : samples) {
            Part p = partByFile.get(s.file());
            if (p != null && s.label() != null) c.get(p).merge(s.label(), 1, Integer::sum);
        }
        return c;
    }
}
