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

    public long seed() { return seed; }

    public Part partOf(Sample s) { return partByFile.get(s.file()); }

    public List<Sample> select(List<Sample> samples, Part part) {
        return samples.stream().filter(s -> partByFile.get(s.file()) == part).toList();
    }

    /**
     * Splits labelled samples. {@code patientGroups} maps a patient id to a group id for patients known
     * to be the same person (may be empty); grouped patients always share a part.
     */
    public static PatientSplit create(List<Sample> samples, double valFraction, double testFraction, long seed,
                                      Map<String, String> patientGroups) {
        if (valFraction < 0 || testFraction < 0 || valFraction + testFraction >= 1) {
            throw new IllegalArgumentException("val and test fractions must be >= 0 and sum to less than 1");
        }
        // group images by (merged) patient
        Map<String, List<Sample>> byPatient = new TreeMap<>();
        for (Sample s : samples) {
            if (s.label() == null) continue;
            String p = patientGroups.getOrDefault(s.patientId(), s.patientId());
            byPatient.computeIfAbsent(p, k -> new ArrayList<>()).add(s);
        }
        // stratum = the patient's most frequent label
        Map<Label, List<String>> strata = new EnumMap<>(Label.class);
        for (Map.Entry<String, List<Sample>> e : byPatient.entrySet()) {
            int[] counts = new int[Label.values().length];
            for (Sample s : e.getValue()) counts[s.label().ordinal()]++;
            int best = 0;
            for (int i = 1; i < counts.length; i++) if (counts[i] > counts[best]) best = i;
            strata.computeIfAbsent(Label.values()[best], k -> new ArrayList<>()).add(e.getKey());
        }
        Random rnd = new Random(seed);
        Map<String, Part> out = new HashMap<>();
        for (Label l : Label.values()) {
            List<String> patients = strata.getOrDefault(l, List.of());
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
                for (Sample s : byPatient.get(p)) out.put(s.file(), part);
            }
        }
        return new PatientSplit(out, seed);
    }

    /** CSV with columns {@code file,label,patient_id,split}, in the samples' order. */
    public String toCsv(List<Sample> samples) {
        StringBuilder sb = new StringBuilder("file,label,patient_id,split\n");
        for (Sample s : samples) {
            Part p = partByFile.get(s.file());
            if (p != null) sb.append(Csv.line(s.file(), s.label().id(), s.patientId(), p.id()));
        }
        return sb.toString();
    }

    public void write(Path csv, List<Sample> samples) throws IOException {
        AtomicFiles.writeString(csv, "# seed=" + seed + "\n" + toCsv(samples));
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
