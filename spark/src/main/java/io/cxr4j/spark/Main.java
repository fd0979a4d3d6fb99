package io.cxr4j.spark;

import io.cxr4j.check.CheckCard;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.BadInputException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cxr-spark predict}: scores films on Spark. With {@code --master local[N]} it runs in this JVM; with a
 * cluster master it prints the spark-submit line to use (and packs the models to ship); under spark-submit
 * (no {@code --master}) it runs in the submitted application. Exit 0: every film ok; 1: some films refused
 * or in error (each a row with its reason); 2: the job could not run (one line on stderr).
 */
@Command(name = "cxr-spark", mixinStandardHelpOptions = true, subcommands = Main.Predict.class,
        description = "Batch scoring of chest X-rays on Apache Spark. Research tool, not a diagnostic device.")
public final class Main implements Callable<Integer> {
    public static final String DISCLAIMER = ModelCard.DISCLAIMER;

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("cxr-spark: " + e.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            Predict pr = c.getCommandSpec().commandLine().getCommand() instanceof Predict x ? x : null;
            if (pr != null && pr.verbose) e.printStackTrace(err);
            err.println("cxr-spark: " + (e instanceof JobFailure ? e.getMessage() : "internal error: " + FilmScorer.oneLine(e) + (pr != null && pr.verbose ? "" : " (run with --verbose)")));
            return 2;
        });
        return cl.execute(args);
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Label every film under INPUT with a trained classifier; one row per film (ok, refused or error, with",
                    "its reason) in Parquet or CSV part files under --out. INPUT: a folder (its .png/.jpg/.jpeg/.dcm files,",
                    "sub-folders included), a glob (every file it matches), or a table (.csv with a header, or .parquet)",
                    "with a path column. The input check refuses what is not a frontal chest X-ray (status refused).",
                    "Research tool, not a diagnostic device."})
    static final class Predict implements Callable<Integer> {
        @Option(names = "--master", paramLabel = "URL", description = {"local[N] runs here on N cores; a cluster URL (spark://, yarn, k8s://)",
                "prints the spark-submit line to use. Leave out under spark-submit."})
        String master;

        @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "Classifier folder.")
        Path model;

        @Option(names = "--segmenter", paramLabel = "SEG_DIR", description = "Lung segmenter folder (default: the shipped models/lung-segmenter).")
        Path segmenter;

        @Option(names = "--input-check", paramLabel = "CHECK_DIR", description = "Input-check model, which refuses what is not a frontal chest X-ray (default: the shipped models/input-check).")
        Path inputCheck;

        @Option(names = "--no-input-check", description = {"Score every image without checking that it is a frontal chest X-ray",
                "(research use only: photographs, laterals and CT slices then get a label too)."})
        boolean noInputCheck;

        @Parameters(arity = "1..*", paramLabel = "INPUT")
        List<String> inputs;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (must not exist, unless --resume).")
        String out;

        @Option(names = "--format", defaultValue = "parquet", description = "parquet or csv (default ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--resume", description = "Score only the films not yet in --out, and add their rows to it.")
        boolean resume;

        @Option(names = "--batch", defaultValue = "16", description = "Films per analysis batch in a task (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--partitions", defaultValue = "0", description = "Partitions to spread the films over (default: 4 per core, at most 256 films each).")
        int partitions;

        @Option(names = "--verbose", description = "Spark's log at INFO and stack traces for job failures.")
        boolean verbose;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String fmt = format.toLowerCase(Locale.ROOT);
            if (!fmt.equals("parquet") && !fmt.equals("csv")) throw new JobFailure("--format must be parquet or csv");
            if (batch < 1) throw new JobFailure("--batch must be at least 1");
            boolean submitted = System.getProperty("spark.master") != null;
            if (master == null && !submitted) throw new JobFailure("--master is needed (local[N], or a cluster URL to get the spark-submit line)");
            if (noInputCheck && inputCheck != null) throw new JobFailure("--input-check and --no-input-check cannot both be given");
            Path seg = segmenter != null ? segmenter : shipped("lung-segmenter");
            Path check = noInputCheck ? null : inputCheck != null ? inputCheck : shipped("input-check");
            boolean local = master != null && master.startsWith("local");
            if (!local && !submitted) {
                spec.commandLine().getOut().println(SubmitLine.line(master, jarOfThisJob(), model, seg, check, jobArgs(seg, check)));
                spec.commandLine().getErr().println("cxr-spark: run the line above; INPUT and --out must be paths every node can read (hdfs://, s3a://, a shared mount)");
                return 0;
            }
            ModelCard card = card(model, "classifier");
            card(seg, "lung segmenter");
            if (check != null) checkCard(check);
            String modelId = model.toAbsolutePath().normalize().getFileName().toString();
            SparkSession.Builder b = SparkSession.builder().appName("cxr4j predict");
            if (master != null && !submitted) {
                b = b.master(master).config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8");
            }
            SparkSession spark = b.getOrCreate();
            if (!verbose) spark.sparkContext().setLogLevel("WARN");
            try {
                String modelPath = ModelFolders.find(model.toString()) != null ? model.toString() : model.getFileName().toString();
                var job = new PredictJob.Spec(modelPath, seg.toString(), check != null, check == null ? null : check.toString(),
                        inputs, out, fmt, resume, partitions, batch, "one".equals(spark.conf().get("spark.cxr4j.analyzers", "slot")));
                PredictJob.Summary s;
                try {
                    s = PredictJob.run(spark, job, card.classes(), modelId);
                } catch (JobFailure e) {
                    throw e;
                } catch (Exception e) { // a SparkException (checked, thrown undeclared from Scala) as well as runtime ones
                    throw asJobFailure(e);
                }
                java.io.PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "cxr-spark: %d films scored (ok %d, refused %d, error %d)%s in %.1f s (%.1f films/s) -> %s%n",
                        s.scored(), s.ok(), s.refused(), s.error(),
                        resume ? ", " + s.alreadyDone() + " already in the output" : "", s.seconds(), s.scored() / Math.max(1e-9, s.seconds()), out);
                err.println(DISCLAIMER);
                return s.refused() + s.error() > 0 ? 1 : 0;
            } finally {
                if (master != null && !submitted) spark.stop();
            }
        }

        /** The job's arguments for spark-submit: the same, without --master. */
        private List<String> jobArgs(Path seg, Path check) {
            List<String> a = new ArrayList<>(List.of("--model", model.toAbsolutePath().normalize().toString()));
            if (seg != null) a.addAll(List.of("--segmenter", seg.toAbsolutePath().normalize().toString()));
            if (check != null) a.addAll(List.of("--input-check", check.toAbsolutePath().normalize().toString()));
            else a.add("--no-input-check");
            a.addAll(List.of("--out", out, "--format", format.toLowerCase(Locale.ROOT)));
            if (resume) a.add("--resume");
            if (batch != 16) a.addAll(List.of("--batch", String.valueOf(batch)));
            if (partitions > 0) a.addAll(List.of("--partitions", String.valueOf(partitions)));
            a.addAll(inputs);
            return a;
        }

        private static ModelCard card(Path dir, String what) throws JobFailure {
            Path found = ModelFolders.find(dir.toString());
            try {
                if (found == null) throw new BadInputException("model folder not found");
                return ModelCard.read(found);
            } catch (BadInputException e) {
                throw new JobFailure(dir + ": " + what + ": " + e.getMessage(), e);
            }
        }

        private static void checkCard(Path dir) throws JobFailure {
            Path found = ModelFolders.find(dir.toString());
            try {
                if (found == null) throw new BadInputException("folder not found");
                CheckCard.read(found);
            } catch (BadInputException e) {
                throw new JobFailure(dir + ": input check: " + e.getMessage() + " (--no-input-check scores without it, for research only)", e);
            }
        }
    }

    /** A Spark failure as one line: a model that executors could not load, else the deepest message. */
    static JobFailure asJobFailure(Exception e) {
        Throwable t = e;
        Throwable deepest = e;
        while (t != null) {
            if (t instanceof FilmScorer.ModelUnavailable) return new JobFailure(t.getMessage(), e);
            if (t.getMessage() != null) deepest = t;
            t = t.getCause();
        }
        String m = FilmScorer.oneLine(deepest);
        if (e.getClass().getName().startsWith("org.apache.spark")) return new JobFailure("the Spark job failed: " + m, e);
        return new JobFailure("the job failed: " + m, e);
    }

    /** models/NAME (lung-segmenter, input-check) next to the job's jar (or its project), else in the working directory. */
    static Path shipped(String name) {
        try {
            for (Path d = jarOfThisJob().toAbsolutePath().getParent(); d != null; d = d.getParent()) {
                Path m = d.resolve("models").resolve(name);
                if (Files.isDirectory(m)) return m;
            }
        } catch (RuntimeException ignored) {
            // fall through
        }
        return Path.of("models", name);
    }

    static Path jarOfThisJob() {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
