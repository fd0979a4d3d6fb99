package io.cxr4j.spark;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * The scoring job: list the INPUT films, leave out those already in the output ({@code --resume}), spread
 * the paths over partitions, score each partition ({@link FilmScorer}) and write one row per film. Runs in
 * whatever SparkSession it is given (local[N] in-process, or a cluster's driver under spark-submit).
 */
public final class PredictJob {
    /**
     * What to run. {@code model}, {@code segmenter}: folders as the driver sees them (executors look them
     * up by name when shipped; see {@link ModelFolders}). {@code inputCheck}: refuse what is not a frontal
     * chest X-ray (off only for research, {@code --no-input-check}); {@code checkDir}: its model folder, found
     * the same way (null: {@code input-check} beside the classifier's folder). {@code partitions}: 0 picks
     * max(4 x the default parallelism, films / 256). {@code batch}: films per analyzeAll call.
     */
    public record Spec(String model, String segmenter, boolean inputCheck, String checkDir, List<String> inputs, String out, String format, boolean resume,
                       int partitions, int batch, boolean sharedAnalyzer) {
        public Spec {
            if (!format.equals("parquet") && !format.equals("csv")) throw new IllegalArgumentException("--format must be parquet or csv");
            if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1");
        }
    }

    /** What a run did: films scored this time by status, films already in the output, seconds. */
    public record Summary(long ok, long refused, long error, long alreadyDone, double seconds) {
        public long scored() { return ok + refused + error; }
    }

    static final int FILMS_PER_PARTITION = 256;

    private PredictJob() {}

    /** Runs the job; a job-level problem is a {@link JobFailure} with one line, before anything is written where possible. */
    public static Summary run(SparkSession spark, Spec spec, List<String> classes, String modelId) throws JobFailure {
        long start = System.nanoTime();
        boolean exists = outputExists(spark, spec.out());
        if (exists && !spec.resume()) {
            throw new JobFailure(spec.out() + ": already exists; add --resume to score only the films not yet in it, or choose another --out");
        }
        Dataset<Row> listed = Inputs.list(spark, spec.inputs()).cache();
        Dataset<Row> todo = listed;
        long total = listed.count();
        if (exists) checkFormat(spark, spec.out(), spec.format());
        if (exists) {
            Dataset<Row> done;
            try {
                done = reader(spark, spec.format(), classes).load(spec.out()).select(col(ResultSchema.FILE).as("done"));
                done.schema();
            } catch (RuntimeException e) {
                throw new JobFailure(spec.out() + ": cannot read it back as " + spec.format() + " output of cxr-spark (" + FilmScorer.oneLine(e) + ")", e);
            }
            todo = listed.join(done, listed.col(Inputs.FILE).equalTo(done.col("done")), "left_anti");
        }
        long n = exists ? todo.count() : total;
        int parallelism = spark.sparkContext().defaultParallelism();
        int partitions = spec.partitions() > 0 ? spec.partitions()
                : (int) Math.max(1, Math.min(Math.max(1, n), Math.max(4L * parallelism, (n + FILMS_PER_PARTITION - 1) / FILMS_PER_PARTITION)));

        StructType schema = ResultSchema.of(classes);
        LongAccumulator ok = spark.sparkContext().longAccumulator("ok");
        LongAccumulator refused = spark.sparkContext().longAccumulator("refused");
        LongAccumulator error = spark.sparkContext().longAccumulator("error");
        FilmScorer scorer = new FilmScorer(new Analyzers.Key(spec.model(), spec.segmenter(), spec.inputCheck(), spec.inputCheck() ? spec.checkDir() : null), spec.sharedAnalyzer(), spec.batch(),
                classes.size(), modelId, ok, refused, error);
        Dataset<Row> rows = todo.repartition(partitions, col(Inputs.FILE)).mapPartitions(scorer, Encoders.row(schema));
        var writer = rows.write().format(spec.format()).mode(exists ? SaveMode.Append : SaveMode.ErrorIfExists);
        if (spec.format().equals("csv")) writer = writer.option("header", "true");
        try {
            writer.save(spec.out());
        } finally {
            listed.unpersist();
        }
        return new Summary(ok.value(), refused.value(), error.value(), total - n, (System.nanoTime() - start) / 1e9);
    }

    /** Reads an output back (CSV with the job's own schema, so an empty run's output reads as no rows). */
    public static org.apache.spark.sql.DataFrameReader reader(SparkSession spark, String format, List<String> classes) {
        var r = spark.read().format(format);
        return format.equals("csv") ? r.option("header", "true").schema(ResultSchema.of(classes)) : r;
    }

    /** An output written in the other format is a job failure, not rows read as garbage. */
    private static void checkFormat(SparkSession spark, String out, String format) throws JobFailure {
        String other = format.equals("csv") ? "parquet" : "csv";
        try {
            Path p = new Path(out);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            for (var st : fs.listStatus(p)) {
                String n = st.getPath().getName();
                if (n.startsWith("part-") && (n.endsWith("." + other) || n.contains("." + other + "."))) {
                    throw new JobFailure(out + ": holds " + other + " output; resume it with --format " + other);
                }
            }
        } catch (IOException e) {
            throw new JobFailure(out + ": cannot list the output: " + FilmScorer.oneLine(e), e);
        }
    }

    private static boolean outputExists(SparkSession spark, String out) throws JobFailure {
        try {
            Path p = new Path(out);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(p);
        } catch (IOException | IllegalArgumentException e) {
            throw new JobFailure(out + ": cannot check the output: " + FilmScorer.oneLine(e), e);
        }
    }
}
