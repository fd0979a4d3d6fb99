package io.cxr4j.train;

import io.cxr4j.engine.Net;
import io.cxr4j.engine.NetSpec;
import io.cxr4j.engine.NetTrainer;
import io.cxr4j.eval.History;
import io.cxr4j.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The epoch loop and its listeners, with a scripted task on a tiny real network. */
class TrainingLoopTest {
    @TempDir
    Path dir;

    /** Steps do nothing to the net; validation scores come from a script; every call is recorded. */
    static final class Scripted implements TrainingLoop.Task<Integer> {
        final double[] scores;
        final double loss;
        final List<List<Integer>> batches = new ArrayList<>();
        final List<String> events;

        Scripted(double[] scores, double loss, List<String> events) {
            this.scores = scores;
            this.loss = loss;
            this.events = events;
        }

        @Override public String metricName() { return "acc"; }

        /** What each prepared batch drew from the epoch's random source, in the order of the steps. */
        final List<Long> draws = new ArrayList<>();
        /** Fail while preparing the batch with this index (counted over the run), or -1. */
        int failAt = -1;
        int prepared;

        @Override
        public TrainingLoop.Inputs prepare(List<Integer> batch, Random rnd) {
            if (prepared++ == failAt) throw new IllegalStateException("cannot prepare batch " + failAt);
            List<Integer> items = List.copyOf(batch);
            long draw = rnd.nextLong();
            return trainer -> {
                batches.add(items);
                draws.add(draw);
                double[] m = new double[items.size()];
                for (int i = 0; i < m.length; i++) m[i] = items.get(i) % 2; // odd items count as right
                return new TrainingLoop.Step(loss, m);
            };
        }

        @Override
        public TrainingLoop.Validation validate(Net net) {
            events.add("validate");
            double s = scores[events.stream().filter("validate"::equals).toList().size() - 1];
            return new TrainingLoop.Validation(s, 1 - s, s, s);
        }

        @Override public String describe(History h, TrainingLoop.Validation v) { return String.format("score %.2f", v.score()); }
    }

    static final class Recorder implements TrainingListener {
        final List<String> events;

        Recorder(List<String> events) { this.events = events; }

        @Override public void onEpochStart(int epoch, int epochs, int steps) { events.add("start " + epoch + " " + steps); }
        @Override public void beforeValidation(Net net) { events.add("before"); }
        @Override public void afterValidation(Net net) { events.add("after"); }
        @Override public void onEpoch(TrainingLoop.Epoch e) { events.add("epoch " + e.epoch() + (e.improved() ? " best" : "")); }
    }

    static Net tinyNet() {
        Net.configureThreads(1);
        return Net.create(NetSpec.cxrNet(32, 4, List.of(1), 0, 4), 1);
    }

    TrainingLoop.Result run(Scripted task, List<TrainingListener> listeners, int epochs, List<Integer> items) throws Exception {
        return run(task, listeners, epochs, items, TrainingLoop.defaultPrefetch());
    }

    TrainingLoop.Result run(Scripted task, List<TrainingListener> listeners, int epochs, List<Integer> items, int prefetch) throws Exception {
        try (Net net = tinyNet(); NetTrainer trainer = new NetTrainer(net, 0)) {
            return new TrainingLoop<>(new TrainingLoop.Settings(epochs, 4, 1e-3, 1, 7, prefetch), task, listeners)
                    .run(net, trainer, items, TrainingLoop.Start.fresh());
        }
    }

    @Test
    void listenersHearEachEpochInOrderAndEarlyStoppingEndsTheRun() throws Exception {
        List<String> events = new ArrayList<>();
        Scripted task = new Scripted(new double[] {0.5, 0.7, 0.6, 0.6, 0.9, 0.9}, 0.25, events);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
        Path best = dir.resolve("ck").resolve("best.params");
        List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8); // 4 + 4, and a last batch of one is skipped
        TrainingLoop.Result r = run(task, List.of(new Recorder(events), new TrainingListeners.BestWeights(best),
                new TrainingListeners.Logging(ps), new TrainingListeners.Checkpointing(dir.resolve("ck"), (params, e) -> e.allHistory()),
                new TrainingListeners.EarlyStopping(2, ps)), 6, items);

        // epoch 2 is best; epochs 3 and 4 do not improve, so patience 2 ends the run after epoch 4
        assertEquals(2, r.bestEpoch());
        assertEquals(0.7, r.best());
        assertEquals(4, r.epochsRun());
        assertEquals(List.of("start 1 3", "before", "validate", "after", "epoch 1 best",
                "start 2 3", "before", "validate", "after", "epoch 2 best",
                "start 3 3", "before", "validate", "after", "epoch 3",
                "start 4 3", "before", "validate", "after", "epoch 4"), events);
        assertEquals(8, task.batches.size());
        assertTrue(task.batches.stream().allMatch(b -> b.size() == 4));
        assertTrue(Files.isRegularFile(best));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("epoch 2/6 lr ") && text.contains("score 0.70 (best)"), text);
        assertTrue(text.contains("early stopping: no better validation score for 2 epochs"), text);
        assertFalse(text.contains("epoch 5/6"), text);
        // the checkpoint keeps only the last epoch's weights, and its state holds every epoch's history
        assertTrue(Files.isRegularFile(dir.resolve("ck").resolve("epoch-004.params")));
        assertFalse(Files.exists(dir.resolve("ck").resolve("epoch-003.params")));
        String state = Files.readString(dir.resolve("ck").resolve(Checkpoints.STATE));
        assertEquals(4, state.split("\"epoch\"").length - 1, state);
    }

    @Test
    void theOrderOfEachEpochIsSeededAndTheTrainingFigureIsThePerItemMean() throws Exception {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) items.add(i);
        Scripted a = new Scripted(new double[] {0.1, 0.2}, 0.5, new ArrayList<>());
        Scripted b = new Scripted(new double[] {0.1, 0.2}, 0.5, new ArrayList<>());
        List<History> hist = new ArrayList<>();
        TrainingListener keep = new TrainingListener() {
            @Override public void onEpoch(TrainingLoop.Epoch e) { hist.add(e.history()); }
        };
        run(a, List.of(keep), 2, items);
        run(b, List.of(), 2, items);
        assertEquals(a.batches, b.batches);
        assertTrue(!a.batches.subList(0, 3).equals(a.batches.subList(3, 6)), "each epoch has its own order");
        // batches of 4, 4, 2: all ten items, five of them odd
        assertEquals(0.5, hist.get(0).trainAccuracy(), 1e-12);
        assertEquals(0.5, hist.get(0).trainLoss(), 1e-12);
        assertEquals(TrainingLoop.schedule(1e-3, 1, 2, 2.0 / 3), hist.get(0).learningRate(), 0);
    }

    @Test
    void aLossThatIsNotFiniteStopsTheRunWithAReason() {
        Scripted task = new Scripted(new double[] {0.5}, Double.NaN, new ArrayList<>());
        BadInputException e = assertThrows(BadInputException.class, () -> run(task, List.of(), 1, List.of(0, 1, 2, 3)));
        assertTrue(e.getMessage().startsWith("training diverged (loss NaN) at epoch 1, step 1"), e.getMessage());
    }

    @Test
    void preparingBatchesAheadGivesTheSameBatchesDrawsAndFigures() throws Exception {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 23; i++) items.add(i);
        List<List<History>> hist = new ArrayList<>();
        List<Scripted> tasks = new ArrayList<>();
        List<String> logs = new ArrayList<>();
        for (int prefetch : new int[] {0, 1, 3}) {
            Scripted t = new Scripted(new double[] {0.1, 0.2, 0.3}, 0.5, new ArrayList<>());
            List<History> h = new ArrayList<>();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            TrainingListener keep = new TrainingListener() {
                @Override public void onEpoch(TrainingLoop.Epoch e) { h.add(e.history()); }
            };
            run(t, List.of(keep, new TrainingListeners.Logging(new PrintStream(log, true, StandardCharsets.UTF_8))), 3, items, prefetch);
            tasks.add(t);
            hist.add(h);
            logs.add(log.toString(StandardCharsets.UTF_8));
        }
        assertEquals(18, tasks.get(0).batches.size()); // 4 4 4 4 4 3 per epoch, 3 epochs
        for (int i = 1; i < tasks.size(); i++) {
            assertEquals(tasks.get(0).batches, tasks.get(i).batches);
            assertEquals(tasks.get(0).draws, tasks.get(i).draws);
            for (int e = 0; e < 3; e++) {
                assertEquals(hist.get(0).get(e).trainLoss(), hist.get(i).get(e).trainLoss(), 0);
                assertEquals(hist.get(0).get(e).trainAccuracy(), hist.get(i).get(e).trainAccuracy(), 0);
                assertEquals(hist.get(0).get(e).learningRate(), hist.get(i).get(e).learningRate(), 0);
            }
        }
        assertTrue(logs.get(1).contains("6 steps, validation "), logs.get(1));
    }

    @Test
    void aBatchThatCannotBePreparedAheadEndsTheRunWithItsReason() {
        for (int prefetch : new int[] {0, 2}) {
            Scripted task = new Scripted(new double[] {0.5, 0.5}, 0.5, new ArrayList<>());
            task.failAt = 4; // the second epoch's second batch
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> run(task, List.of(), 2, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), prefetch));
            assertEquals("cannot prepare batch 4", e.getMessage());
            assertEquals(4, task.batches.size(), "the steps before the failed batch ran, and none after it");
        }
    }
}
