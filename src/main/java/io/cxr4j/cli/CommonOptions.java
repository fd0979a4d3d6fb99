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

    public static Dataset scan(Path dataset, Path annotations) {
        try {
            return DatasetReader.scan(dataset, annotations);
        } catch (BadInputException e) {
            throw new UserError(dataset + ": " + e.getMessage(), e);
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
