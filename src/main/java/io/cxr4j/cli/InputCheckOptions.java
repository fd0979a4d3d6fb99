package io.cxr4j.cli;

import io.cxr4j.analysis.AnalysisOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --input-check DIR} and {@code --no-input-check}: which input check refuses what is not a frontal chest X-ray. */
public class InputCheckOptions {
    @Option(names = "--input-check", paramLabel = "CHECK_DIR", description = "Input-check model (default: the shipped models/input-check).")
    Path dir;

    @Option(names = "--no-input-check", description = {"Analyse every image without checking that it is a frontal chest X-ray",
            "(research use only: photographs, laterals and CT slices then get a label too)."})
    boolean off;

    /** The options with this check set (its folder resolved to the shipped one when not given). */
    public AnalysisOptions apply(AnalysisOptions o) {
        return off ? o.withInputCheck(false) : o.withInputCheck(true).withCheckDir(dir());
    }

    /** The check's folder (the shipped one when not given), or null with --no-input-check. */
    public Path dir() {
        return off ? null : dir != null ? dir : Models.shipped("input-check");
    }

    public boolean on() { return !off; }
}
