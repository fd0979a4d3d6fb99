package io.cxr4j.spark;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * The films named by the INPUT arguments, as one column {@code file} (distinct paths; bytes are read later,
 * on the executors, a batch at a time). An INPUT is:
 * <ul>
 * <li>a table: a name ending in {@code .csv} (with a header) or {@code .parquet} (a file or a folder of part
 *     files) with a {@code path} column; relative paths are taken from the folder the table is in;</li>
 * <li>a folder: every {@code .png, .jpg, .jpeg, .dcm} file under it (any case, sub-folders included), the
 *     same extensions {@code cxr predict} takes from a folder, listed with Spark's {@code binaryFile}
 *     source; files without one of these extensions (e.g. extension-less DICOM from a PACS export) are
 *     taken only through a glob or a table;</li>
 * <li>a glob (e.g. {@code 'exports/*}{@code /*'}) or a single file: every file it matches, whatever its name.</li>
 * </ul>
 * A path that does not exist, or a glob that matches nothing, stops the job with one line.
 */
final class Inputs {
    static final String FILE = "file";
    /** Hadoop glob for the image extensions, in any case. */
    static final String IMAGE_GLOB = "*.{[pP][nN][gG],[jJ][pP][gG],[jJ][pP][eE][gG],[dD][cC][mM]}";

    private Inputs() {}

    static Dataset<Row> list(SparkSession spark, List<String> inputs) throws JobFailure {
        Dataset<Row> all = null;
        for (String in : inputs) {
            Dataset<Row> one = isTable(in) ? table(spark, in) : files(spark, in);
            all = all == null ? one : all.union(one);
        }
        if (all == null) throw new JobFailure("no INPUT given");
        return all.distinct();
    }

    static boolean isTable(String in) {
        String n = in.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        return n.endsWith(".csv") || n.endsWith(".parquet");
    }

    static boolean isGlob(String in) {
        return in.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static Dataset<Row> files(SparkSession spark, String in) throws JobFailure {
        FileStatus[] found = statuses(spark, in);
        boolean folder = !isGlob(in) && found.length == 1 && found[0].isDirectory();
        var reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
        if (folder) reader = reader.option("pathGlobFilter", IMAGE_GLOB);
        // only the path is selected, so binaryFile lists the files without reading them
        return reader.load(in).select(col("path").as(FILE));
    }

    private static Dataset<Row> table(SparkSession spark, String in) throws JobFailure {
        FileStatus[] found = statuses(spark, in);
        Dataset<Row> t;
        try {
            t = in.toLowerCase(Locale.ROOT).replaceAll("/+$", "").endsWith(".csv")
                    ? spark.read().option("header", "true").csv(in)
                    : spark.read().parquet(in);
        } catch (RuntimeException e) {
            throw new JobFailure(in + ": cannot read the table: " + FilmScorer.oneLine(e), e);
        }
        if (!Arrays.asList(t.columns()).contains("path")) {
            throw new JobFailure(in + ": the table has no path column (columns: " + String.join(", ", t.columns()) + ")");
        }
        // paths come out qualified as binaryFile gives them (file:/x, hdfs://nn/x), so --resume matches a film
        // however it was named: a scheme kept, an absolute path on the default file system, else relative to
        // the folder the table (file or folder of parts) is in
        Path base = found[0].getPath().getParent();
        String fsRoot;
        try {
            java.net.URI u = org.apache.hadoop.fs.FileSystem.get(spark.sparkContext().hadoopConfiguration()).getUri();
            fsRoot = u.getScheme() + ":" + (u.getAuthority() == null ? "" : "//" + u.getAuthority());
        } catch (IOException e) {
            throw new JobFailure(in + ": cannot reach the default file system: " + FilmScorer.oneLine(e), e);
        }
        Column p = trim(col("path").cast("string"));
        // a row with an empty path names no film: it is left out
        return t.where(p.isNotNull().and(p.notEqual(lit(""))))
                .select(when(p.rlike("^[a-zA-Z][a-zA-Z0-9+.-]*:"), p)
                        .when(p.startsWith("/"), concat(lit(fsRoot), p))
                        .otherwise(concat(lit(base.toString() + "/"), p)).as(FILE));
    }

    /** What a path or glob names; a job failure when nothing. */
    private static FileStatus[] statuses(SparkSession spark, String in) throws JobFailure {
        try {
            Path p = new Path(in);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus[] s = fs.globStatus(p);
            if (s == null || s.length == 0) throw new JobFailure(in + ": " + (isGlob(in) ? "matches no file" : "no such file or folder"));
            return s;
        } catch (IOException | IllegalArgumentException e) {
            throw new JobFailure(in + ": cannot list it: " + FilmScorer.oneLine(e), e);
        }
    }
}
