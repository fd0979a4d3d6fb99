package io.cxr4j.spark;

import io.cxr4j.analysis.Analysis;
import io.cxr4j.analysis.Outcome;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.analysis.XrayInput;
import io.cxr4j.data.PatientIds;
import io.cxr4j.util.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Scores one partition of film paths: reads each batch of films' bytes from their paths (any Hadoop file
 * system), runs {@link XrayAnalyzer#analyzeAll} on the batch and emits one row per path, in the
 * {@link ResultSchema} layout. A film that cannot be read or analysed is a row with its reason; only a model
 * that cannot be loaded fails the task (and so the job). Rows are produced lazily, a batch at a time, so a
 * partition never holds more than one batch of films in memory.
 */
final class FilmScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    /** Films larger than this are refused with a reason rather than read (a DICOM series by mistake, say). */
    static final long MAX_BYTES = 512L << 20;

    private final Analyzers.Key key;
    private final boolean sharedAnalyzer;
    private final int batchSize;
    private final int classCount;
    private final String modelId;
    private final LongAccumulator ok, refused, error;

    FilmScorer(Analyzers.Key key, boolean sharedAnalyzer, int batchSize, int classCount, String modelId,
               LongAccumulator ok, LongAccumulator refused, LongAccumulator error) {
        this.key = key;
        this.sharedAnalyzer = sharedAnalyzer;
        this.batchSize = batchSize;
        this.classCount = classCount;
        this.modelId = modelId;
        this.ok = ok;
        this.refused = refused;
        this.error = error;
    }

    /** Thrown on an executor when the model cannot be loaded: a job-level failure, not a film's. */
    static final class ModelUnavailable extends RuntimeException {
        ModelUnavailable(String message, Throwable cause) { super(message, cause); }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> paths) {
        if (!paths.hasNext()) return java.util.Collections.emptyIterator();
        TaskContext task = TaskContext.get();
        XrayAnalyzer analyzer;
        try {
            analyzer = Analyzers.borrow(key, sharedAnalyzer, task == null ? 1 : task.cpus());
        } catch (BadInputException e) {
            throw new ModelUnavailable("cannot load the models on an executor: " + e.getMessage(), e);
        }
        if (task != null) task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> Analyzers.release(key, sharedAnalyzer, analyzer));
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) return true;
                if (!paths.hasNext()) {
                    if (task == null) Analyzers.release(key, sharedAnalyzer, analyzer);
                    return false;
                }
                ready.clear();
                next = 0;
                List<String> files = new ArrayList<>();
                while (files.size() < batchSize && paths.hasNext()) files.add(paths.next().getString(0));
                ready.addAll(score(analyzer, files));
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.get(next++);
            }
        };
    }

    /** One row per file, in order. */
    private List<Row> score(XrayAnalyzer analyzer, List<String> files) {
        Row[] rows = new Row[files.size()];
        List<XrayInput> inputs = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String f = files.get(i);
            try {
                inputs.add(withLungOutline(XrayInput.of(name(f), read(f)), f));
                where.add(i);
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                rows[i] = failed(f, Outcome.ERROR, "cannot read the file: " + oneLine(e));
            }
        }
        List<Outcome> outcomes = analyzer.analyzeAll(inputs, 1);
        for (int j = 0; j < outcomes.size(); j++) {
            Outcome o = outcomes.get(j);
            String f = files.get(where.get(j));
            rows[where.get(j)] = o.ok() ? scored(f, o.analysis()) : failed(f, o.status(), o.reason());
        }
        return List.of(rows);
    }

    private Row scored(String file, Analysis a) {
        ok.add(1);
        Object[] v = new Object[7 + classCount];
        v[0] = file;
        v[1] = Outcome.OK;
        v[2] = null;
        v[3] = a.predicted();
        v[4] = a.confidence();
        float[] p = a.probabilities();
        for (int c = 0; c < classCount; c++) v[5 + c] = (double) p[c];
        v[5 + classCount] = a.lungMaskSource();
        v[6 + classCount] = modelId;
        return RowFactory.create(v);
    }

    private Row failed(String file, String status, String reason) {
        (Outcome.REFUSED.equals(status) ? refused : error).add(1);
        Object[] v = new Object[7 + classCount];
        v[0] = file;
        v[1] = status;
        v[2] = reason == null ? "unknown problem" : reason;
        v[6 + classCount] = modelId;
        return RowFactory.create(v);
    }

    /** The last segment of a path or URI: names the film in messages (never patient identity). */
    static String name(String file) {
        int slash = file.lastIndexOf('/');
        return slash >= 0 && slash < file.length() - 1 ? file.substring(slash + 1) : file;
    }

    /**
     * As {@code cxr predict} does for a film in a dataset's {@code images/} folder: its Darwin annotation
     * ({@code ../annotations/<stem>.json}) or V7 mask ({@code ../masks/<stem>.png}) gives the lung mask
     * instead of the segmenter. Only for films on a local or mounted file system ({@code file:}); elsewhere
     * the segmenter predicts the mask.
     */
    static XrayInput withLungOutline(XrayInput in, String file) {
        if (!file.startsWith("file:")) return in;
        try {
            java.nio.file.Path img = java.nio.file.Path.of(java.net.URI.create(file));
            java.nio.file.Path parent = img.getParent();
            if (parent == null || parent.getFileName() == null || !parent.getFileName().toString().equals("images")) return in;
            String stem = PatientIds.stem(img.getFileName().toString());
            java.nio.file.Path ann = parent.resolveSibling("annotations").resolve(stem + ".json");
            java.nio.file.Path mask = parent.resolveSibling("masks").resolve(stem + ".png");
            if (java.nio.file.Files.isRegularFile(ann)) in = in.withAnnotation(ann);
            if (java.nio.file.Files.isRegularFile(mask)) in = in.withMask(mask);
            return in;
        } catch (RuntimeException notALocalPath) {
            return in;
        }
    }

    private static byte[] read(String file) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
        FileSystem fs = p.getFileSystem(hadoopConf());
        long len = fs.getFileStatus(p).getLen();
        if (len > MAX_BYTES) throw new IOException("larger than " + (MAX_BYTES >> 20) + " MB (" + (len >> 20) + " MB)");
        byte[] b = new byte[(int) len];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, b);
        }
        return b;
    }

    private static Configuration conf;

    /** Hadoop settings for this JVM: the defaults plus the application's spark.hadoop.* entries. */
    private static synchronized Configuration hadoopConf() {
        if (conf == null) {
            Configuration c = new Configuration();
            SparkEnv env = SparkEnv.get();
            if (env != null) {
                for (Tuple2<String, String> e : env.conf().getAllWithPrefix("spark.hadoop.")) c.set(e._1(), e._2());
            }
            conf = c;
        }
        return conf;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m).trim();
    }
}
