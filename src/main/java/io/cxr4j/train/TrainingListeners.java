package io.cxr4j.train;

import io.cxr4j.engine.Net;
import io.cxr4j.report.Charts;
import io.cxr4j.util.Progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The listeners every training run uses, one concern each. */
public final class TrainingListeners {
    private TrainingListeners() {}

    /**
     * The exponential moving average of the weights (when the net keeps one): validation scores the
     * average, and the average is what a run keeps as its best weights ({@link #keep}).
     */
    public static final class WeightAverage implements TrainingListener {
        @Override
        public void beforeValidation(Net net) {
            net.useEma(true);
        }

        @Override
        public void afterValidation(Net net) {
            net.useEma(false);
        }

        /** Saves the weights a run keeps: the average when there is one, else the trained weights. */
        public static void keep(Net net, Path file) throws IOException {
            Files.createDirectories(file.getParent());
            if (net.hasEma()) net.saveEma(file); else net.save(file);
        }
    }

    /** Keeps the weights of the best epoch so far in {@code file}. */
    public record BestWeights(Path file) implements TrainingListener {
        @Override
        public void onEpoch(TrainingLoop.Epoch e) throws IOException {
            if (e.improved()) WeightAverage.keep(e.net(), file);
        }
    }

    /** A progress bar on stderr per epoch, and one line per epoch in the run's log. */
    public static final class Logging implements TrainingListener {
        private final PrintStream log;
        private Progress bar;

        public Logging(PrintStream log) {
            this.log = log;
        }

        @Override
        public void onEpochStart(int epoch, int epochs, int steps) {
            bar = Progress.forStderr(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), steps);
        }

        @Override
        public void onBatch(String progress) {
            bar.setSuffix(progress);
            bar.step();
        }

        @Override
        public void onEpoch(TrainingLoop.Epoch e) {
            TrainingLoop.Timing t = e.timing();
            log.println(String.format(Locale.ROOT, "epoch %d/%d lr %.2e %s%s | %.0f s (train %.1f s, %d steps, validation %.1f s)", e.epoch(),
                    e.epochs(), e.history().learningRate(), e.text(), e.improved() ? " (best)" : "", e.history().seconds(),
                    t.trainSeconds(), t.steps(), t.validationSeconds()));
            log.flush();
        }
    }

    /** What a checkpoint's state file holds for an epoch, given the name of the epoch's parameter file. */
    @FunctionalInterface
    public interface StateOf {
        Object state(String params, TrainingLoop.Epoch e);
    }

    /** After every epoch: its weights (and weight average), then the state that points at them ({@link Checkpoints}). */
    public record Checkpointing(Path dir, StateOf stateOf) implements TrainingListener {
        @Override
        public void onEpoch(TrainingLoop.Epoch e) throws IOException {
            Checkpoints.save(dir, e.net(), e.epoch(), params -> stateOf.state(params, e));
        }
    }

    /** Loss and metric curves, redrawn after every epoch. */
    public record Curves(Path target, String trainMetric, String valMetric) implements TrainingListener {
        @Override
        public void onEpoch(TrainingLoop.Epoch e) throws IOException {
            Charts.trainingCurves(e.allHistory(), target, trainMetric, valMetric);
        }
    }

    /** Ends the run when the validation score has not improved for {@code patience} epochs. */
    public record EarlyStopping(int patience, PrintStream log) implements TrainingListener {
        @Override
        public boolean stopAfter(TrainingLoop.Epoch e) {
            if (e.epoch() - e.bestEpoch() < patience) return false;
            log.println("early stopping: no better validation score for " + patience + " epochs");
            log.flush();
            return true;
        }
    }
}
