package io.cxr4j.train;

import io.cxr4j.engine.Net;

import java.io.IOException;

/**
 * Hears a {@link TrainingLoop}'s events, as DJL's {@code TrainingListener}: the start of an epoch, each
 * training batch, the validation, the finished epoch, and whether the run should stop. Each listener
 * does one thing (weight average, best weights, logging and progress, checkpoint, curves, early
 * stopping); {@link TrainingListeners} holds them. Listeners are called in the order given to the loop.
 */
public interface TrainingListener {
    /** An epoch of {@code steps} batches begins. */
    default void onEpochStart(int epoch, int epochs, int steps) {}

    /** A training batch is done; {@code progress} is the running loss and metric ("loss 0.4321 acc 0.812"). */
    default void onBatch(String progress) {}

    /** Validation is about to score {@code net} (e.g. swap in the weight average). */
    default void beforeValidation(Net net) {}

    /** Validation is over, even when it failed (e.g. swap the trained weights back). */
    default void afterValidation(Net net) {}

    /** An epoch is finished and validated. */
    default void onEpoch(TrainingLoop.Epoch e) throws IOException {}

    /** Whether the run ends after this epoch; asked of every listener once all have heard {@link #onEpoch}. */
    default boolean stopAfter(TrainingLoop.Epoch e) {
        return false;
    }
}
