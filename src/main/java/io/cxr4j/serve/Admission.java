package io.cxr4j.serve;

import java.util.concurrent.Semaphore;

/**
 * A bounded queue for analyses: at most {@code running} at once and {@code waiting} more queued; a request
 * beyond that is turned away at once (503) rather than held, so memory and latency stay bounded under load.
 */
final class Admission {
    private final Semaphore admitted;
    private final Semaphore running;

    Admission(int running, int waiting) {
        this.admitted = new Semaphore(running + waiting);
        this.running = new Semaphore(running, true);
    }

    /** Takes a place in the queue, or returns false when it is full. */
    boolean tryEnter() { return admitted.tryAcquire(); }

    /** Gives the place back (after {@link #tryEnter} returned true). */
    void leave() { admitted.release(); }

    /** Runs {@code work} once one of the running slots is free (the caller holds a queue place). */
    <T> T run(Work<T> work) throws Exception {
        running.acquire();
        try {
            return work.call();
        } finally {
            running.release();
        }
    }

    interface Work<T> {
        T call() throws Exception;
    }
}
