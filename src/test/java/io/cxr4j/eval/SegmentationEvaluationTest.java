package io.cxr4j.eval;

import io.cxr4j.data.Label;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SegmentationEvaluationTest {
    /** A 20x20 reference with a 10x10 square; the prediction shifts it right by {@code shift} pixels. */
    static GrayImage square(int shift) {
        GrayImage g = new GrayImage(20, 20);
        for (int y = 5; y < 15; y++) for (int x = 5 + shift; x < 15 + shift; x++) g.set(x, y, 255);
        return g;
    }

    static Sample sample(int i) {
        String f = String.format("f%02d.png", i);
        return new Sample(f, Path.of(f), null, null, Label.HEALTHY, null, "p" + i, null, "s", null);
    }

    @Test
    void theOnePassKeepsExactlyTheWorstFilmsFromManyThreads() throws Exception {
        SegmentationEvaluation.Collector c = new SegmentationEvaluation.Collector(3);
        GrayImage truth = square(0), img = new GrayImage(20, 20);
        List<GrayImage> preds = new ArrayList<>();
        int n = 40;
        for (int i = 0; i < n; i++) preds.add(square(i % 5)); // shifts 0..4: Dice 1.0 down to 0.6, eight films each
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            jobs.add(pool.submit(() -> c.add(sample(k), img, truth, preds.get(k))));
        }
        for (Future<?> f : jobs) f.get();
        pool.shutdown();
        SegmentationEvaluation ev = c.result();

        assertEquals(n, ev.n());
        // worst first, ties by file name
        assertEquals("f04.png", ev.rowsWorstFirst().get(0).sample().file());
        assertEquals(0.6, ev.rowsWorstFirst().get(0).dice(), 1e-12);
        assertEquals(1.0, ev.rowsWorstFirst().get(n - 1).dice(), 1e-12);
        // the kept films are the first three rows, in the same order, with their own masks
        assertEquals(3, ev.worst().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(ev.rowsWorstFirst().get(i), ev.worst().get(i).row());
            int file = Integer.parseInt(ev.worst().get(i).row().sample().file().substring(1, 3));
            assertSame(preds.get(file), ev.worst().get(i).predicted());
        }
        assertEquals(List.of("f04.png", "f09.png", "f14.png"), ev.worst().stream().map(w -> w.row().sample().file()).toList());
        // summaries from the rows: eight films each at Dice 1.0, 0.9, 0.8, 0.7, 0.6
        assertEquals(0.8, ev.dice().mean(), 1e-12);
        assertEquals(0.6, ev.dice().min(), 1e-12);
        assertEquals(0.8, ev.dice().median(), 1e-12);
        assertEquals(1.0, ev.iou().max(), 1e-12);
    }

    @Test
    void keepingNoneStillScoresEveryFilm() {
        SegmentationEvaluation.Collector c = new SegmentationEvaluation.Collector(0);
        c.add(sample(1), new GrayImage(20, 20), square(0), square(2));
        SegmentationEvaluation ev = c.result();
        assertEquals(1, ev.n());
        assertEquals(0, ev.worst().size());
        assertEquals(0.8, ev.dice().mean(), 1e-12);
    }
}
