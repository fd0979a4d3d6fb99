package io.cxr4j.train;

import io.cxr4j.engine.Net;
import io.cxr4j.engine.NetTrainer;
import io.cxr4j.eval.History;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The one epoch loop of every training run, in the spirit of DJL's {@code EasyTrain} with
 * {@code TrainingListener}s. Each epoch it shuffles the training items with a seeded random source,
 * steps through them in batches under the warm-up and cosine learning-rate schedule, validates, records a
 * {@link History} row and hands the epoch to the listeners (weight average, best weights, logging and
 * progress, checkpoint, curves, early stopping). What differs between models (how a batch becomes inputs
 * and a loss, and what the validation metric is) is the {@link Task}.
 *
 * <p>The random source of epoch {@code e} is {@code new Random(seed * 1_000_003 + e)}: it shuffles and then
 * drives the task's augmentation, so a run resumed after epoch {@code e - 1} continues exactly as an
 * uninterrupted one would.
 *
 * @param <I> a prepared training item (cached crop and label, image and mask, ...)
 */
public final class TrainingLoop<I> {
    /** What differs between models. */
    public interface Task<I> {
        /** Short name of the training metric for the progress bar ("acc", "dice"). */
        String metricName();

        /**
         * Builds the inputs of {@code batch} (augmenting with {@code rnd}), ready for one optimisation step.
         * With prefetching this runs on the loop's preparing thread, ahead of the steps but always in batch
         * order and alone with {@code rnd}, so a run draws the same numbers with or without it; it must use
         * nothing but the batch, {@code rnd} and the task's fixed settings (no network, no trainer).
         */
        Inputs prepare(List<I> batch, Random rnd);

        /** Scores the validation items with {@code net} as it stands (its weight average when one is swapped in). */
        Validation validate(Net net);

        /** The epoch's figures for the log line, between the learning rate and "(best)". */
        String describe(History h, Validation v);
    }

    /** A prepared batch: steps {@code trainer} on it and returns the batch's mean loss and each item's training metric. */
    @FunctionalInterface
    public interface Inputs {
        Step step(NetTrainer trainer);
    }

    /**
     * A step's mean loss and each item's training metric (1 for a right call, its Dice, ...); the loop adds
     * them up one by one, in order, so the epoch's figure does not depend on how items fall into batches.
     */
    public record Step(double loss, double[] itemMetrics) {}

    /**
     * An epoch's validation: the score that picks the best epoch (higher is better), and the loss,
     * accuracy and macro F1 (or Dice) the curves show; {@code loss} is NaN where there is none.
     */
    public record Validation(double score, double loss, double accuracy, double macroF1) {}

    /**
     * The schedule and the seed of the order and augmentation. {@code prefetch} batches are prepared ahead of
     * the network on a second thread (0: each batch is prepared right before its step, on the caller's thread).
     */
    public record Settings(int epochs, int batchSize, double learningRate, int warmupEpochs, long seed, int prefetch) {
        public Settings {
            if (prefetch < 0) throw new IllegalArgumentException("prefetch must be >= 0");
        }

        /** With the default prefetch ({@link #defaultPrefetch()}). */
        public Settings(int epochs, int batchSize, double learningRate, int warmupEpochs, long seed) {
            this(epochs, batchSize, learningRate, warmupEpochs, seed, defaultPrefetch());
        }
    }

    /**
     * Batches prepared ahead by default: none, or the system property {@code cxr4j.train.prefetch}. Results do not
     * depend on it. Off by default: on the shared 2-core machine the paired runs with and without it went either
     * way by up to 7x with the load (issue 14, docs/benchmarks.md), and the work it moves off the steps is about 2%
     * of an epoch; a third busy thread next to libtorch's two spin-waiting intra-op threads can also cost more than
     * it saves. Measure on a quiet machine before turning it on.
     */
    public static int defaultPrefetch() {
        String v = System.getProperty("cxr4j.train.prefetch");
        if (v == null || v.isBlank()) return DEFAULT_PREFETCH;
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_PREFETCH;
        }
    }

    static final int DEFAULT_PREFETCH = 0;

    /** Where a run starts: epoch 1 with no history, or after a checkpointed epoch. */
    public record Start(int epoch, List<History> history, double best, int bestEpoch) {
        public static Start fresh() {
            return new Start(1, List.of(), -1, 0);
        }
    }

    /**
     * A finished epoch as the listeners see it. {@code history} holds every epoch so far, this one last;
     * {@code best} and {@code bestEpoch} already count this epoch.
     */
    public record Epoch(Net net, int epoch, int epochs, History history, Validation validation, String text, boolean improved,
                        double best, int bestEpoch, List<History> allHistory, Timing timing) {}

    /** Where an epoch's time went: its optimisation steps (batch preparation included), and validation. */
    public record Timing(double trainSeconds, int steps, double validationSeconds) {}

    /** How a run ended: the best epoch, its score, and the last epoch run. */
    public record Result(int bestEpoch, double best, int epochsRun) {}

    private final Settings settings;
    private final Task<I> task;
    private final List<TrainingListener> listeners;

    public TrainingLoop(Settings settings, Task<I> task, List<TrainingListener> listeners) {
        this.settings = settings;
        this.task = task;
        this.listeners = List.copyOf(listeners);
    }

    /** Linear warm-up, then cosine decay to 1% of the peak. {@code t} counts epochs from 0. */
    public static double schedule(double peak, int warmupEpochs, int epochs, double t) {
        if (t < warmupEpochs) return peak * Math.max(0.05, t / warmupEpochs);
        double p = (t - warmupEpochs) / Math.max(1e-9, epochs - warmupEpochs);
        return peak * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, p))));
    }

    /** Runs epochs {@code start.epoch()} to the last (or until a listener stops the run). */
    public Result run(Net net, NetTrainer trainer, List<I> train, Start start) throws IOException, BadInputException {
        Settings o = settings;
        List<History> history = new ArrayList<>(start.history());
        double best = start.best();
        int bestEpoch = start.bestEpoch();
        int epochsRun = start.epoch() - 1;
        int steps = (train.size() + o.batchSize() - 1) / o.batchSize();
        for (int epoch = start.epoch(); epoch <= o.epochs(); epoch++) {
            long e0 = System.nanoTime();
            for (TrainingListener l : listeners) l.onEpochStart(epoch, o.epochs(), steps);
            Random rnd = new Random(o.seed() * 1_000_003L + epoch);
            List<I> order = new ArrayList<>(train);
            Collections.shuffle(order, rnd);
            List<List<I>> batches = new ArrayList<>();
            for (int from = 0; from < order.size(); from += o.batchSize()) {
                List<I> b = order.subList(from, Math.min(order.size(), from + o.batchSize()));
                if (b.size() < 2) break; // batch norm needs two samples
                batches.add(b);
            }
            double lossSum = 0, metricSum = 0;
            int seen = 0;
            double lr = 0;
            try (Batches<I> source = o.prefetch() > 0 ? new Prefetched<>(task, batches, rnd, o.prefetch()) : new Inline<>(task, batches, rnd)) {
                for (int step = 0; step < batches.size(); step++) {
                    int n = batches.get(step).size();
                    Inputs in = source.next();
                    lr = schedule(o.learningRate(), o.warmupEpochs(), o.epochs(), epoch - 1 + (double) step / steps);
                    trainer.setLearningRate(lr);
                    Step r = in.step(trainer);
                    if (!Double.isFinite(r.loss())) {
                        throw new BadInputException("training diverged (loss " + r.loss() + ") at epoch " + epoch + ", step " + (step + 1)
                                + "; the last finished epoch's checkpoint is kept (try a lower --lr)");
                    }
                    lossSum += r.loss() * n;
                    for (double m : r.itemMetrics()) metricSum += m;
                    seen += n;
                    String suffix = String.format(Locale.ROOT, "loss %.4f %s %.3f", lossSum / seen, task.metricName(), metricSum / seen);
                    for (TrainingListener l : listeners) l.onBatch(suffix);
                }
            }
            long t1 = System.nanoTime();
            for (TrainingListener l : listeners) l.beforeValidation(net);
            Validation v;
            try {
                v = task.validate(net);
            } finally {
                for (TrainingListener l : listeners) l.afterValidation(net);
            }
            long t2 = System.nanoTime();
            double secs = (t2 - e0) / 1e9;
            History h = new History(epoch, lr, lossSum / Math.max(1, seen), metricSum / Math.max(1, seen), v.loss(), v.accuracy(),
                    v.macroF1(), secs);
            history.add(h);
            epochsRun = epoch;
            boolean improved = v.score() > best;
            if (improved) {
                best = v.score();
                bestEpoch = epoch;
            }
            Epoch e = new Epoch(net, epoch, o.epochs(), h, v, task.describe(h, v), improved, best, bestEpoch,
                    Collections.unmodifiableList(history), new Timing((t1 - e0) / 1e9, batches.size(), (t2 - t1) / 1e9));
            for (TrainingListener l : listeners) l.onEpoch(e);
            if (listeners.stream().anyMatch(l -> l.stopAfter(e))) break;
        }
        return new Result(bestEpoch, best, epochsRun);
    }

    /** An epoch's prepared batches, in order. */
    private interface Batches<I> extends AutoCloseable {
        Inputs next() throws BadInputException;

        @Override
        void close();
    }

    /** Each batch prepared when its step asks for it, on the loop's thread. */
    private static final class Inline<I> implements Batches<I> {
        private final Task<I> task;
        private final List<List<I>> batches;
        private final Random rnd;
        private int next;

        Inline(Task<I> task, List<List<I>> batches, Random rnd) {
            this.task = task;
            this.batches = batches;
            this.rnd = rnd;
        }

        @Override
        public Inputs next() {
            return task.prepare(batches.get(next++), rnd);
        }

        @Override
        public void close() {}
    }

    /**
     * Batches prepared on one daemon thread, in order, at most {@code depth} ahead of the steps (a bounded
     * queue), so decoding-free preparation (augmentation, normalisation, targets) overlaps the network's step.
     * A failure while preparing reaches the loop at the step that needed the batch; closing stops the thread.
     */
    private static final class Prefetched<I> implements Batches<I> {
        private record Ready(Inputs inputs, Throwable error) {}

        private final java.util.concurrent.BlockingQueue<Ready> queue;
        private final Thread thread;

        Prefetched(Task<I> task, List<List<I>> batches, Random rnd, int depth) {
            queue = new java.util.concurrent.ArrayBlockingQueue<>(depth);
            thread = new Thread(() -> {
                try {
                    for (List<I> b : batches) {
                        Ready r;
                        try {
                            r = new Ready(task.prepare(b, rnd), null);
                        } catch (RuntimeException | Error e) { // handed to the loop, which would otherwise wait forever
                            r = new Ready(null, e);
                        }
                        queue.put(r);
                        if (r.error() != null) return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // closed before the epoch's end: stop quietly
                }
            }, "cxr4j-prefetch");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public Inputs next() throws BadInputException {
            Ready r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BadInputException("training interrupted");
            }
            if (r.error() instanceof RuntimeException e) throw e;
            if (r.error() instanceof Error e) throw e;
            return r.inputs();
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
