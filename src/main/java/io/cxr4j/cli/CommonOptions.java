package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.DatasetReader;
import io.cxr4j.util.Batch;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Options every command has, and helpers for reporting. */
public class CommonOptions {
    @Option(names = {"-v", "--verbose"}, description = "Print stack traces and more detail.")
    public boolean verbose;

    @Option(names = "--threads", description = "Worker threads (default: all cores, ${DEFAULT-VALUE}).")
    public int threads = Runtime.getRuntime().availableProcessors();

    public int threads() {
        if (threads < 1) throw new UserError("--threads must be at least 1");
        return threads;
    }

    /**
     * Threads for training a network whose first stage has {@code width} channels: one below 16 (said on
     * {@code log}), since narrower networks get NaN gradients on several libtorch threads with this build
     * (docs/model.md); else {@link #threads()}.
     */
    public int trainingThreads(int width, java.io.PrintStream log) {
        int t = threads();
        if (width >= 16 || t == 1) return t;
        log.println("--width " + width + " is below 16: training on one thread (narrower networks give NaN gradients"
                + " on several libtorch threads with this build)");
        return 1;
    }

    /** Several dataset folders read as one ({@link Dataset#combine}); a folder that is no dataset is a one-line user error. */
    public static Dataset scan(List<Path> datasets) {
        List<Dataset> parts = new java.util.ArrayList<>();
        for (Path p : datasets) parts.add(scan(p, null));
        return Dataset.combine(parts);
    }

    public static Dataset scan(Path dataset, Path annotations) {
        try {
            return DatasetReader.scan(dataset, annotations);
        } catch (BadInputException e) {
            throw new UserError(dataset + ": " + e.getMessage(), e);
        }
    }

    /**
     * The samples of the test part recorded in {@code modelDir/split.csv} (a model's own held-out patients).
     */
    public static List<io.cxr4j.data.Sample> testPart(Path modelDir, List<io.cxr4j.data.Sample> samples, Path dataset) {
        return part(modelDir, samples, dataset, io.cxr4j.data.PatientSplit.Part.TEST);
    }

    /** The samples of one part (train, val or test) recorded in {@code modelDir/split.csv}. */
    public static List<io.cxr4j.data.Sample> part(Path modelDir, List<io.cxr4j.data.Sample> samples, Path dataset,
                                                  io.cxr4j.data.PatientSplit.Part part) {
        Path csv = modelDir.resolve("split.csv");
        if (!java.nio.file.Files.isRegularFile(csv)) throw new UserError(modelDir + ": no split.csv; use --split all");
        io.cxr4j.data.PatientSplit ps;
        try {
            ps = io.cxr4j.data.PatientSplit.read(csv);
        } catch (BadInputException e) {
            throw new UserError(csv + ": " + e.getMessage(), e);
        }
        List<io.cxr4j.data.Sample> selected = ps.select(samples, part);
        if (selected.isEmpty()) throw new UserError(dataset + " has none of the " + part.id() + " images of " + modelDir + "; use --split all");
        return selected;
    }

    /** Loads a segmenter (the shipped one when {@code dir} is null); a bad folder is a one-line user error. */
    public static io.cxr4j.segment.LungSegmenter segmenter(Path dir) {
        Path d = Models.segmenter(dir);
        try {
            return io.cxr4j.segment.LungSegmenter.load(d);
        } catch (BadInputException e) {
            throw new UserError(d + ": " + e.getMessage(), e);
        }
    }

    /** Loads a classifier folder; a bad folder is a one-line user error naming it. */
    public static io.cxr4j.model.Classifier classifier(Path dir) {
        try {
            return io.cxr4j.model.Classifier.load(dir);
        } catch (BadInputException e) {
            throw new UserError(dir + ": " + e.getMessage(), e);
        }
    }

    /** Prints each skipped item as {@code <file>: <reason>} on stderr. */
    public void report(PrintStream err, List<Dataset.Problem> problems, List<Batch.Failure> failures) {
        for (Dataset.Problem p : problems) err.println(p.file() + ": " + p.reason());
        for (Batch.Failure f : failures) {
            err.println(f.file() + ": " + f.reason());
            if (verbose && f.error() != null && !(f.error() instanceof BadInputException)) f.error().printStackTrace(err);
        }
    }
}
