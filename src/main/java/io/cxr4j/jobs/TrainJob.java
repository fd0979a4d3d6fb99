package io.cxr4j.jobs;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.prep.MaskPlan;
import io.cxr4j.prep.MaskProvider;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.segment.MaskCache;
import io.cxr4j.train.ClassifierTrainer;
import io.cxr4j.train.TrainOptions;
import io.cxr4j.util.BadInputException;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains the classifier into a model folder: chooses where each film's lung mask comes from (annotation,
 * predicted by the segmenter, or both), loads the segmenter only when a film needs it, and logs to the
 * console and {@code train.log}.
 */
public final class TrainJob {
    private TrainJob() {}

    /**
     * @param masks   annotation, predicted or mixed masks
     * @param source  which annotation to read (polygons, V7 mask, or auto)
     * @param prior   an earlier split to keep (null: a new split), named {@code priorName} in provenance
     * @param splitByImage keep {@code prior}'s parts file by file instead of patient by patient (only to measure that leak)
     */
    public record Settings(Path out, TrainOptions options, MaskPlan.Mode masks, MaskSource source, boolean resume, int threads,
                           PatientSplit prior, String priorName, boolean splitByImage, Map<String, Object> provenance) {}

    /**
     * Trains on {@code ds}, logging to {@code log} (see {@link #log}).
     *
     * @param segmenterDir where the segmenter comes from, for provenance
     * @param segmenter    loads the segmenter, asked only when a film needs a predicted mask
     * @param cache        where predicted masks are cached (may give null)
     */
    public static ClassifierTrainer.Outcome run(Settings s, Dataset ds, Supplier<Path> segmenterDir, Supplier<LungSegmenter> segmenter,
                                                Supplier<MaskCache> cache, PrintStream log) throws IOException, BadInputException {
        LungSegmenter seg = null;
        MaskCache maskCache = cache.get();
        try {
            boolean needSegmenter = s.masks() != MaskPlan.Mode.ANNOTATION
                    || (!s.options().maskMode().equals("whole") && ds.withTargets().stream().anyMatch(sm -> !sm.hasMaskSource()));
            String name = ClassifierTrainer.annotationMasksName(s.source());
            MaskProvider predicted = null;
            if (needSegmenter) {
                Path segDir = segmenterDir.get();
                seg = segmenter.get();
                predicted = seg.provider(maskCache);
                String by = "predicted by " + segDir.toAbsolutePath().normalize() + " (" + seg.id() + ")";
                name = switch (s.masks()) {
                    case ANNOTATION -> name + " where the film has one, else " + by;
                    case PREDICTED -> by;
                    case MIXED -> "mixed: " + name + " and " + by + "; films without annotation: predicted";
                };
            }
            ClassifierTrainer trainer = new ClassifierTrainer(s.out(), log, s.threads(), new MaskPlan(s.masks(), MaskProvider.of(s.source()),
                    predicted), name);
            if (s.prior() != null) trainer.splitFrom(s.prior(), s.priorName());
            trainer.splitByImage(s.splitByImage());
            s.provenance().forEach(trainer::provenance);
            ClassifierTrainer.Outcome o = trainer.train(ds, s.options(), s.resume());
            if (seg != null && maskCache != null) log.println("predicted lung masks: " + maskCache.summary());
            return o;
        } finally {
            if (seg != null) seg.close();
        }
    }

    /**
     * Console output that is also appended to {@code dir/train.log}, starting with the command line
     * {@code command} and the time; closing it closes the log file only.
     */
    public static PrintStream log(Path dir, String command) throws IOException {
        Files.createDirectories(dir);
        OutputStream file = new FileOutputStream(dir.resolve("train.log").toFile(), true);
        PrintStream log = new PrintStream(new Tee(System.out, file), true, StandardCharsets.UTF_8);
        log.println(command + "  [" + Instant.now() + "]");
        return log;
    }

    /** The command line a log starts with: {@code cxr train DATASET... --out DIR}. */
    public static String commandLine(String command, List<Path> datasets, Path out) {
        StringBuilder sb = new StringBuilder("cxr ").append(command);
        for (Path p : datasets) sb.append(' ').append(p);
        return sb.append(" --out ").append(out).toString();
    }

    /** Writes to two streams (console and log file). */
    static final class Tee extends OutputStream {
        private final OutputStream a, b;

        Tee(OutputStream a, OutputStream b) { this.a = a; this.b = b; }

        @Override public void write(int x) throws IOException { a.write(x); b.write(x); }
        @Override public void write(byte[] buf, int off, int len) throws IOException { a.write(buf, off, len); b.write(buf, off, len); }
        @Override public void flush() throws IOException { a.flush(); b.flush(); }
        @Override public void close() throws IOException { b.close(); }
    }
}
