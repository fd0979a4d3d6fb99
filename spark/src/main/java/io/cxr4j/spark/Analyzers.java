package io.cxr4j.spark;

import io.cxr4j.analysis.AnalysisOptions;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.engine.Net;
import io.cxr4j.util.BadInputException;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The analyzers of this JVM (an executor, or the driver in local mode), kept for its lifetime and keyed by
 * model, segmenter and input-check folder (and whether the check is on), so models are loaded once per task slot of the JVM, never per task or row.
 * <p>
 * Why one per task slot rather than one per JVM: an {@link XrayAnalyzer} runs its networks one call at a
 * time, and the networks are most of a film's time, so N tasks sharing one analyzer would use about one
 * core. With one analyzer per concurrent task (created when no idle one is left, handed back when the task
 * ends) N tasks use N cores; each analyzer is a few tens of MB. {@code spark.cxr4j.analyzers=one} shares a
 * single analyzer instead (for comparison; see docs/benchmarks.md).
 * <p>
 * libtorch's intra-op threads are set once per JVM, before the engine loads, to the task's CPUs
 * ({@code spark.task.cpus}, default 1), so N tasks do not oversubscribe N cores; a
 * {@code -Dai.djl.pytorch.num_threads} already set (extraJavaOptions) wins.
 */
public final class Analyzers {
    /** What an analyzer is loaded from: the folders as the driver named them and whether the input check is on. */
    record Key(String model, String segmenter, boolean inputCheck, String checkDir) implements java.io.Serializable {
        /** The analysis options for this key: the defaults, with the input check as asked. */
        AnalysisOptions options() throws BadInputException {
            AnalysisOptions o = AnalysisOptions.defaults().withInputCheck(inputCheck);
            return inputCheck && checkDir != null ? o.withCheckDir(folder(checkDir, "input check")) : o;
        }
    }

    private static final Map<Key, Deque<XrayAnalyzer>> IDLE = new HashMap<>();
    private static final Map<Key, XrayAnalyzer> SHARED = new HashMap<>();
    private static int loaded;

    private Analyzers() {}

    /** An analyzer for this task; give it back with {@link #release}. */
    static synchronized XrayAnalyzer borrow(Key key, boolean shared, int taskCpus) throws BadInputException {
        if (shared && SHARED.containsKey(key)) return SHARED.get(key);
        Deque<XrayAnalyzer> idle = IDLE.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (!shared && !idle.isEmpty()) return idle.pop();
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) Net.configureThreads(Math.max(1, taskCpus));
        XrayAnalyzer a = XrayAnalyzer.load(folder(key.model(), "classifier"),
                key.segmenter() == null ? null : folder(key.segmenter(), "lung segmenter"), key.options());
        loaded++;
        if (shared) SHARED.put(key, a);
        return a;
    }

    static synchronized void release(Key key, boolean shared, XrayAnalyzer a) {
        if (!shared) IDLE.computeIfAbsent(key, k -> new ArrayDeque<>()).push(a);
    }

    /** How many analyzers this JVM has loaded (for tests: once per task slot, not per task). */
    public static synchronized int loadedCount() { return loaded; }

    private static Path folder(String given, String what) throws BadInputException {
        Path p = ModelFolders.find(given);
        if (p == null) throw new BadInputException(what + " folder " + given + " not found on this executor (ship it with --archives, or use a path every node can read)");
        return p;
    }
}
