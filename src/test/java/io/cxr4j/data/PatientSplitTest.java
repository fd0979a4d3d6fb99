package io.cxr4j.data;

import io.cxr4j.data.PatientSplit.Part;
import io.cxr4j.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatientSplitTest {
    @TempDir
    Path dir;

    static List<Sample> synthetic(int patients, long seed) {
        Random rnd = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (int p = 0; p < patients; p++) {
            Label l = Label.values()[rnd.nextInt(4)];
            int n = 1 + (rnd.nextDouble() < 0.3 ? rnd.nextInt(6) : 0);
            for (int i = 0; i < n; i++) {
                String f = "p" + p + "_" + i + ".png";
                out.add(new Sample(f, Path.of(f), null, null, l, null, "patient" + p, null, null, null));
            }
        }
        return out;
    }

    @Test
    void noPatientInTwoPartsAndProportionsPerClass() {
        List<Sample> samples = synthetic(1500, 3);
        PatientSplit split = PatientSplit.create(samples, 0.15, 0.15, 42, Map.of());
        Map<String, Part> partOfPatient = new HashMap<>();
        for (Sample s : samples) {
            Part p = split.partOf(s);
            Part prev = partOfPatient.putIfAbsent(s.patientId(), p);
            assertTrue(prev == null || prev == p, "patient " + s.patientId() + " in two parts");
        }
        Map<Part, Map<Label, Integer>> c = split.counts(samples);
        for (Label l : Label.values()) {
            int total = 0;
            for (Part p : Part.values()) total += c.get(p).get(l);
            for (Part p : List.of(Part.VAL, Part.TEST)) {
                double frac = c.get(p).get(l) / (double) total;
                assertEquals(0.15, frac, 0.03, l + " " + p);
            }
        }
    }

    @Test
    void deterministicForASeedAndDifferentForAnother() {
        List<Sample> samples = synthetic(300, 5);
        PatientSplit a = PatientSplit.create(samples, 0.2, 0.2, 7, Map.of());
        PatientSplit b = PatientSplit.create(samples, 0.2, 0.2, 7, Map.of());
        PatientSplit c = PatientSplit.create(samples, 0.2, 0.2, 8, Map.of());
        assertEquals(a.toCsv(samples), b.toCsv(samples));
        assertNotEquals(a.toCsv(samples), c.toCsv(samples));
    }

    @Test
    void byImageKeepsEachFilesPartEvenWhenItSplitsAPatient() {
        List<Sample> samples = synthetic(300, 11);
        // an image-level split: alternate files between train and val, so multi-film patients straddle parts
        Map<String, Part> parts = new HashMap<>();
        for (int i = 0; i < samples.size(); i++) parts.put(samples.get(i).file(), i % 2 == 0 ? Part.TRAIN : Part.VAL);
        PatientSplit prior = PatientSplit.fromParts(parts, 42);
        PatientSplit img = PatientSplit.byImage(prior, samples, 0.15, 0.15, 42);
        PatientSplit pat = PatientSplit.extend(prior, samples, 0.15, 0.15, 42, Map.of());
        int straddling = 0;
        for (Sample s : samples) {
            assertEquals(parts.get(s.file()), img.partOf(s), s.file());
            if (pat.partOf(s) != parts.get(s.file())) straddling++;
        }
        assertTrue(straddling > 0, "the patient-level extend must move some files of straddling patients");
    }

    @Test
    void groupedPatientsShareAPart() {
        List<Sample> samples = synthetic(200, 9);
        Map<String, String> groups = new HashMap<>();
        for (int p = 0; p < 200; p += 2) groups.put("patient" + (p + 1), "patient" + p);
        PatientSplit split = PatientSplit.create(samples, 0.3, 0.3, 1, groups);
        Map<String, Part> parts = new HashMap<>();
        for (Sample s : samples) parts.put(s.patientId(), split.partOf(s));
        for (int p = 0; p < 200; p += 2) assertEquals(parts.get("patient" + p), parts.get("patient" + (p + 1)));
    }

    @Test
    void writtenSplitReadsBackAndRealDataKeepsPatientsApart() throws Exception {
        Dataset ds = DatasetReader.scan(TestData.mini());
        PatientSplit split = PatientSplit.create(ds.labelled(), 0.25, 0.25, 42, Map.of());
        Path csv = dir.resolve("split.csv");
        split.write(csv, ds.labelled());
        PatientSplit back = PatientSplit.read(csv);
        assertEquals(42, back.seed());
        for (Sample s : ds.labelled()) assertEquals(split.partOf(s), back.partOf(s));
        Map<String, Part> partOfPatient = new HashMap<>();
        for (Sample s : ds.labelled()) {
            Part prev = partOfPatient.putIfAbsent(s.patientId(), split.partOf(s));
            assertTrue(prev == null || prev == split.partOf(s));
        }
    }
}
