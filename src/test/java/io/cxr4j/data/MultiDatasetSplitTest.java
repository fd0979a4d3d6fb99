package io.cxr4j.data;

import io.cxr4j.data.PatientSplit.Part;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Splitting several collections at once: by patient, stratified by source and label, every source in every part. */
class MultiDatasetSplitTest {
    /** Source -> labels it has; "pneumonia" is the coarse label. Some patients have several films. */
    static List<Sample> collections(long seed) {
        Map<String, List<String>> sources = new java.util.LinkedHashMap<>();
        sources.put("kermany", List.of("bacterial_pneumonia", "viral_pneumonia", "healthy"));
        sources.put("ieee8023", List.of("covid19", "bacterial_pneumonia", "viral_pneumonia"));
        sources.put("nih", List.of("healthy", "pneumonia"));
        sources.put("hannover", List.of("covid19"));
        sources.put("small", List.of("healthy")); // a source of only 4 patients
        Random rnd = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (var e : sources.entrySet()) {
            int patients = e.getKey().equals("small") ? 4 : 60 + rnd.nextInt(100);
            for (int p = 0; p < patients; p++) {
                String lab = e.getValue().get(rnd.nextInt(e.getValue().size()));
                Label l = Label.fromId(lab).orElse(null);
                int n = 1 + (rnd.nextDouble() < 0.3 ? rnd.nextInt(4) : 0);
                for (int i = 0; i < n; i++) {
                    String f = e.getKey() + "-" + p + "_" + i + ".png";
                    out.add(new Sample(f, Path.of(f), null, null, l, l == null ? Sample.COARSE_PNEUMONIA : null, e.getKey() + "-" + p,
                            null, e.getKey(), null));
                }
            }
        }
        return out;
    }

    @Test
    void noPatientInTwoPartsAndEverySourceInEveryPart() {
        List<Sample> samples = collections(9);
        PatientSplit split = PatientSplit.create(samples, 0.15, 0.15, 42, Map.of());
        Map<String, Part> partOfPatient = new HashMap<>();
        Map<String, Set<Part>> partsOfSource = new HashMap<>();
        for (Sample s : samples) {
            Part p = split.partOf(s);
            assertTrue(p != null, s.file() + " has no part (coarse films are split too)");
            Part prev = partOfPatient.putIfAbsent(s.patientId(), p);
            assertTrue(prev == null || prev == p, "patient " + s.patientId() + " in two parts");
            partsOfSource.computeIfAbsent(s.source(), k -> EnumSet.noneOf(Part.class)).add(p);
        }
        for (var e : partsOfSource.entrySet()) assertEquals(EnumSet.allOf(Part.class), e.getValue(), e.getKey());
    }

    @Test
    void eachSourceAndLabelIsSpreadInProportion() {
        List<Sample> samples = collections(4);
        PatientSplit split = PatientSplit.create(samples, 0.2, 0.2, 1, Map.of());
        Map<String, int[]> byStratum = new HashMap<>();
        for (Sample s : samples) {
            int[] c = byStratum.computeIfAbsent(s.source() + "/" + s.labelOrFinding(), k -> new int[3]);
            c[split.partOf(s).ordinal()]++;
        }
        for (var e : byStratum.entrySet()) {
            int total = e.getValue()[0] + e.getValue()[1] + e.getValue()[2];
            if (total < 60) continue;
            assertEquals(0.2, e.getValue()[Part.TEST.ordinal()] / (double) total, 0.06, e.getKey() + " test share");
            assertEquals(0.2, e.getValue()[Part.VAL.ordinal()] / (double) total, 0.06, e.getKey() + " val share");
        }
    }

    @Test
    void extendKeepsAnEarlierSplitsPatientsWhereTheyWere() {
        List<Sample> all = collections(2);
        List<Sample> kermany = all.stream().filter(s -> s.source().equals("kermany")).toList();
        PatientSplit before = PatientSplit.create(kermany, 0.15, 0.15, 42, Map.of());
        PatientSplit after = PatientSplit.extend(before, all, 0.15, 0.15, 42, Map.of());
        for (Sample s : kermany) assertEquals(before.partOf(s), after.partOf(s), s.file());
        Set<Part> nihParts = EnumSet.noneOf(Part.class);
        for (Sample s : all) {
            assertTrue(after.partOf(s) != null, s.file());
            if (s.source().equals("nih")) nihParts.add(after.partOf(s));
        }
        assertEquals(EnumSet.allOf(Part.class), nihParts);
    }

    @Test
    void combiningDatasetsKeepsEveryFilmOnceAndNamesCollisions() {
        Sample a = new Sample("x.png", Path.of("/a/x.png"), null, null, Label.HEALTHY, null, "p1", null, "a", null);
        Sample b = new Sample("y.png", Path.of("/b/y.png"), null, null, null, Sample.COARSE_PNEUMONIA, "p2", null, "b", null);
        Sample clash = new Sample("x.png", Path.of("/b/x.png"), null, null, Label.COVID19, null, "p3", null, "b", null);
        Dataset d1 = new Dataset(Path.of("/a"), Dataset.Layout.DARWIN, List.of(a), List.of(), List.of(), Map.of());
        Dataset d2 = new Dataset(Path.of("/b"), Dataset.Layout.DARWIN, List.of(b, clash), List.of(), List.of(), Map.of());
        Dataset both = Dataset.combine(List.of(d1, d2));
        assertEquals(List.of(a, b), both.samples());
        assertEquals(1, both.problems().size());
        assertTrue(both.problems().get(0).reason().contains("x.png"));
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), both.roots());
        assertEquals(List.of(a), both.labelled());
        assertEquals(List.of(a, b), both.withTargets());
        assertTrue(b.isCoarse());
        assertEquals(EnumSet.of(Label.BACTERIAL_PNEUMONIA, Label.VIRAL_PNEUMONIA), b.targets());
        assertFalse(a.isCoarse());
    }
}
