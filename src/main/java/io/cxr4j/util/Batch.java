package io.cxr4j.util;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one job per item on a thread pool. A job that throws {@link BadInputException} (or anything
 * else) is recorded as a failure for that item and the batch goes on.
 */
public final class Batch {
    private Batch() {}

    /** The work for one item; returns nothing, writes its own outputs. */
    @FunctionalInterface
    public interface Job<T> {
        void run(T item) throws Exception;
    }

    /** A failed item: the file to name, the one-line reason and the exception (for --verbose). */
    public record Failure(Path file, String reason, Throwable error) {
        @Override
        public String toString() { return file + ": " + reason; }
    }

    /** Which file names an item in error messages. */
    @FunctionalInterface
    public interface Namer<T> {
        Path fileOf(T item);
    }

    public static <T> List<Failure> run(List<T> items, int threads, Namer<T> namer, Progress progress, Job<T> job) {
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        int n = Math.max(1, Math.min(threads, items.size()));
        if (n == 1) {
            // one thread: the caller's own, so a long-lived caller (a Spark task, a server worker) does not start
            // a thread per call, and libtorch does not set up its per-thread state (and warn) again each time
            for (T item : items) runOne(item, namer, progress, job, failures);
            return sorted(failures);
        }
        AtomicInteger ids = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "cxr-worker-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(n, tf);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> runOne(item, namer, progress, job, failures)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new IllegalStateException("worker failed unexpectedly", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return sorted(failures);
    }

    private static <T> void runOne(T item, Namer<T> namer, Progress progress, Job<T> job, List<Failure> failures) {
        try {
            job.run(item);
        } catch (BadInputException e) {
            failures.add(new Failure(namer.fileOf(item), e.getMessage(), e));
        } catch (Exception | OutOfMemoryError e) {
            String m = e.getMessage();
            failures.add(new Failure(namer.fileOf(item),
                    e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' ')), e));
        } finally {
            progress.step();
        }
    }

    private static List<Failure> sorted(List<Failure> failures) {
        List<Failure> sorted = new ArrayList<>(failures);
        sorted.sort((a, b) -> String.valueOf(a.file()).compareTo(String.valueOf(b.file())));
        return sorted;
    }
}
