package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.Label;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.data.PatientSplit.Part;
import io.cxr4j.data.Sample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Stratified train/val/test split by patient (no patient in two parts), written as CSV",
                "(file,label,patient_id,split). Deterministic for a seed. Images outside the four classes are left out."})
public final class SplitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET")
    Path dataset;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write.")
    Path out;

    @Option(names = "--val", defaultValue = "0.15", description = "Fraction of images for validation (default ${DEFAULT-VALUE}).")
    double val;

    @Option(names = "--test", defaultValue = "0.15", description = "Fraction of images for test (default ${DEFAULT-VALUE}).")
    double test;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--annotations", paramLabel = "DIR", description = "Darwin JSON folder (default DATASET/annotations).")
    Path annotations;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (val < 0 || test < 0 || val + test >= 1) throw new UserError("--val and --test must be >= 0 and sum to less than 1");
        Dataset ds = CommonOptions.scan(dataset, annotations);
        List<Sample> labelled = ds.labelled();
        if (labelled.isEmpty()) throw new UserError(dataset + ": no labelled image to split");
        PatientSplit split = PatientSplit.create(labelled, val, test, seed, Map.of());
        split.write(out, labelled);
        Map<Part, Map<Label, Integer>> counts = split.counts(labelled);
        System.out.printf(Locale.ROOT, "%-8s", "part");
        for (Label l : Label.values()) System.out.printf(Locale.ROOT, "%21s", l.id());
        System.out.printf(Locale.ROOT, "%8s%10s%n", "images", "patients");
        for (Part p : Part.values()) {
            System.out.printf(Locale.ROOT, "%-8s", p.id());
            int t = 0;
            for (Label l : Label.values()) {
                int v = counts.get(p).get(l);
                t += v;
                System.out.printf(Locale.ROOT, "%21d", v);
            }
            Set<String> pats = new HashSet<>();
            for (Sample s : split.select(labelled, p)) pats.add(s.patientId());
            System.out.printf(Locale.ROOT, "%8d%10d%n", t, pats.size());
        }
        System.out.println("wrote " + out.toAbsolutePath().normalize() + " (seed " + seed + ")");
        common.report(System.err, ds.problems(), List.of());
        return ds.problems().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }
}
