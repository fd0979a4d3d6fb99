package io.cxr4j.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    static final List<String> C = List.of("a", "b", "c");

    @Test
    void perClassAndAveragesFromAKnownConfusionMatrix() {
        // rows true, columns predicted
        int[][] cm = {{5, 2, 3}, {1, 6, 1}, {0, 2, 4}};
        Metrics.Result r = Metrics.fromConfusion(C, cm);
        assertEquals(24, r.n());
        assertEquals(15.0 / 24, r.accuracy(), 1e-12);
        // class a: precision 5/6, recall 5/10, f1 = 2*(5/6)(1/2)/((5/6)+(1/2)) = 0.625
        assertEquals(5.0 / 6, r.perClass().get("a").precision(), 1e-12);
        assertEquals(0.5, r.perClass().get("a").recall(), 1e-12);
        assertEquals(0.625, r.perClass().get("a").f1(), 1e-12);
        // class b: precision 6/10, recall 6/8 -> f1 = 2*0.6*0.75/1.35 = 0.666..
        assertEquals(2 * 0.6 * 0.75 / 1.35, r.perClass().get("b").f1(), 1e-12);
        // class c: precision 4/8, recall 4/6 -> f1 = 2*0.5*(2/3)/(0.5+2/3) = 4/7
        assertEquals(4.0 / 7, r.perClass().get("c").f1(), 1e-12);
        double macro = (0.625 + 2 * 0.6 * 0.75 / 1.35 + 4.0 / 7) / 3;
        assertEquals(macro, r.macroF1(), 1e-12);
        double weighted = (0.625 * 10 + 2 * 0.6 * 0.75 / 1.35 * 8 + 4.0 / 7 * 6) / 24;
        assertEquals(weighted, r.weightedF1(), 1e-12);
        assertEquals(10, r.perClass().get("a").support());
    }

    @Test
    void computeBuildsTheConfusionMatrixFromProbabilities() {
        int[] truth = {0, 0, 1, 2, 2};
        float[][] p = {{.8f, .1f, .1f}, {.2f, .7f, .1f}, {.1f, .8f, .1f}, {.1f, .1f, .8f}, {.5f, .2f, .3f}};
        Metrics.Result r = Metrics.compute(C, truth, p);
        assertArrayEquals(new int[] {1, 1, 0}, r.confusion()[0]);
        assertArrayEquals(new int[] {0, 1, 0}, r.confusion()[1]);
        assertArrayEquals(new int[] {1, 0, 1}, r.confusion()[2]);
        assertEquals(0.6, r.accuracy(), 1e-12);
    }

    @Test
    void rocAucByRanksWithTies() {
        // positives 0.9, 0.4 ; negatives 0.8, 0.4, 0.1 -> pairs: (0.9>0.8,0.4,0.1)=3, (0.4: >0.1, tie 0.4 =0.5) = 1.5 -> 4.5/6
        double auc = Metrics.rocAuc(new double[] {0.9, 0.8, 0.4, 0.4, 0.1}, new boolean[] {true, false, true, false, false});
        assertEquals(0.75, auc, 1e-12);
        assertEquals(1.0, Metrics.rocAuc(new double[] {0.9, 0.1}, new boolean[] {true, false}), 0);
        assertTrue(Double.isNaN(Metrics.rocAuc(new double[] {0.9, 0.1}, new boolean[] {true, true})));
        List<double[]> curve = Metrics.rocCurve(new double[] {0.9, 0.8, 0.4, 0.4, 0.1}, new boolean[] {true, false, true, false, false});
        assertArrayEquals(new double[] {0, 0}, curve.get(0));
        assertArrayEquals(new double[] {1, 1}, curve.get(curve.size() - 1));
    }

    @Test
    void eceIsZeroForPerfectlyCalibratedAndPositiveOtherwise() {
        int[] truth = {0, 1, 0, 1};
        float[][] sure = {{1, 0}, {0, 1}, {1, 0}, {0, 1}};
        assertEquals(0, Metrics.ece(truth, sure, 10), 1e-9);
        float[][] over = {{.9f, .1f}, {.9f, .1f}, {.9f, .1f}, {.9f, .1f}}; // 90% confident, 50% right
        assertEquals(0.4, Metrics.ece(truth, over, 10), 1e-6);
    }

    @Test
    void classificationReportHasTheFamiliarRows() {
        String rep = Metrics.report(Metrics.fromConfusion(C, new int[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}));
        assertTrue(rep.contains("precision") && rep.contains("macro avg") && rep.contains("weighted avg") && rep.contains("accuracy"));
    }
}
