package io.cxr4j.eval;

import io.cxr4j.data.Label;
import io.cxr4j.data.Sample;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-source table and the coarse label's scoring, on hand-made predictions. */
class SourceTableTest {
    static final List<String> CLASSES = List.of("bacterial_pneumonia", "healthy", "viral_pneumonia", "covid19");

    static Prediction pred(String file, Label label, boolean coarse, String source, float... probs) {
        Sample s = new Sample(file, Path.of(file), null, null, label, coarse ? Sample.COARSE_PNEUMONIA : null, file, null, source,
                Map.of());
        return new Prediction(s, label == null ? -1 : label.ordinal(), probs);
    }

    @Test
    void coarseFilmsAreRightWhenCalledBacterialOrViralAndCountAsNonCovid() {
        List<Prediction> p = new ArrayList<>();
        p.add(pred("a", null, true, "nih", 0.1f, 0.1f, 0.7f, 0.1f));   // viral: right
        p.add(pred("b", null, true, "nih", 0.6f, 0.1f, 0.2f, 0.1f));   // bacterial: right
        p.add(pred("c", null, true, "nih", 0.1f, 0.1f, 0.1f, 0.7f));   // COVID-19: wrong, non-COVID called COVID
        p.add(pred("d", Label.HEALTHY, false, "nih", 0.1f, 0.8f, 0.05f, 0.05f));
        p.add(pred("e", Label.COVID19, false, "hannover", 0.1f, 0.1f, 0.1f, 0.7f));
        p.add(pred("f", Label.COVID19, false, "hannover", 0.1f, 0.6f, 0.2f, 0.1f));
        SourceTable t = SourceTable.of(CLASSES, p);
        SourceTable.Row nih = t.rows().stream().filter(r -> r.group().equals("nih")).findFirst().orElseThrow();
        assertEquals(4, nih.n());
        assertEquals(0.75, nih.accuracy(), 1e-12);
        assertEquals(4, nih.nonCovid());
        assertEquals(1, nih.nonCovidCalledCovid());
        assertEquals(0.25, nih.nonCovidCalledCovidRate(), 1e-12);
        assertTrue(Double.isNaN(nih.covidAuc()), "one kind only: no AUC");
        assertEquals("adult", nih.population());
        SourceTable.Row han = t.rows().stream().filter(r -> r.group().equals("hannover")).findFirst().orElseThrow();
        assertEquals(0.5, han.covidRecall(), 1e-12);
        SourceTable.Row all = t.rows().get(t.rows().size() - 1);
        assertEquals("all", all.group());
        assertEquals(6, all.n());
        // COVID-19 scores: positives 0.7, 0.1; negatives 0.1, 0.1, 0.7, 0.05. Pairs won (ties half):
        // 0.7 beats 0.1, 0.1, 0.05 and ties 0.7 (3.5); 0.1 ties 0.1 twice and beats 0.05 (2): 5.5 of 8
        assertEquals(5.5 / 8, all.covidAuc(), 1e-9);
        assertEquals(3, t.coarse().n());
        assertEquals(1, t.coarse().bacterial());
        assertEquals(1, t.coarse().viral());
        assertEquals(1, t.coarse().covid19());
        assertEquals(2.0 / 3, t.coarse().accuracy(), 1e-12);
    }

    @Test
    void macroF1CountsCoarseFilmsCalledCovidAsFalsePositives() {
        int[][] cm = {{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 2}};
        assertEquals(1.0, Metrics.macroF1WithFalsePositives(cm, new int[4]), 1e-12);
        // two extra COVID-19 calls that were wrong: COVID precision 2/4, recall 1, F1 2/3
        assertEquals((3 + 2.0 / 3) / 4, Metrics.macroF1WithFalsePositives(cm, new int[] {0, 0, 0, 2}), 1e-12);
    }
}
