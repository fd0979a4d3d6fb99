package io.cxr4j.cli;

import io.cxr4j.audit.ShortcutAudit;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.PatientSplit.Part;
import io.cxr4j.data.Sample;
import io.cxr4j.model.Classifier;
import io.cxr4j.model.ModelCard;
import io.cxr4j.prep.MaskPlan;
import io.cxr4j.prep.MaskProvider;
import io.cxr4j.report.AuditReport;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Shortcut audit: how much the lung outline alone (texture removed), the film outside the lungs, and the",
                "source tell apart, on the model's test patients, as balanced accuracy next to chance. Linear probes are fitted",
                "on the model's training patients (split.csv). Writes OUT/audit.json and a self-contained OUT/report.html.",
                "Research tool, not a diagnostic device."})
public final class AuditCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "Classifier folder (default: the shipped models/classifier).")
    Path modelDir;

    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "Labelled collections the model was split on (e.g. v7-cxr adult-cxr).")
    List<Path> datasets;

    @Option(names = "--out", required = true, paramLabel = "REPORT_DIR")
    Path out;

    @Option(names = "--segmenter", paramLabel = "SEG_DIR", description = "Segmenter for films without polygons (default: the shipped one).")
    Path segmenter;

    @Option(names = "--max-train", defaultValue = "1500", paramLabel = "N", description = {"Probe training films at most (a fixed random",
            "sample of the training patients' films) (default ${DEFAULT-VALUE})."})
    int maxTrain;

    @Option(names = "--max-val", defaultValue = "400", paramLabel = "N", description = "Validation films at most, for the probes' penalty (default ${DEFAULT-VALUE}).")
    int maxVal;

    @Mixin
    MaskCacheOptions maskCacheOptions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (maxTrain < 10 || maxVal < 0) throw new UserError("--max-train must be at least 10 and --max-val at least 0");
        if (modelDir == null) modelDir = Models.shipped("classifier");
        for (Path d : datasets) MaskCommand.checkOutput(d, out);
        Dataset ds = CommonOptions.scan(datasets);
        String dataset = datasets.size() == 1 ? datasets.get(0).toString() : ds.name();
        List<Sample> samples = ds.withTargets();
        Map<Part, List<Sample>> parts = new EnumMap<>(Part.class);
        parts.put(Part.TRAIN, sample(CommonOptions.part(modelDir, samples, Path.of(dataset), Part.TRAIN), maxTrain));
        parts.put(Part.VAL, maxVal == 0 ? List.of() : sample(CommonOptions.part(modelDir, samples, Path.of(dataset), Part.VAL), maxVal));
        parts.put(Part.TEST, CommonOptions.part(modelDir, samples, Path.of(dataset), Part.TEST));
        Classifier model = CommonOptions.classifier(modelDir);
        LungSegmenter seg;
        try {
            seg = CommonOptions.segmenter(segmenter);
        } catch (UserError e) {
            model.close();
            throw e;
        }
        try (model; seg) {
            MaskPlan plan = new MaskPlan(MaskPlan.Mode.ANNOTATION, MaskProvider.of(MaskSource.AUTO), seg.provider(maskCacheOptions.cache()));
            int total = parts.values().stream().mapToInt(List::size).sum();
            List<Batch.Failure> failures = new ArrayList<>();
            List<ShortcutAudit.Film> films = ShortcutAudit.collect(model, parts, plan.firstProvider(), common.threads(),
                    Progress.forStderr("audit", total), failures);
            common.report(System.err, ds.problems(), failures);
            if (films.stream().noneMatch(f -> f.part() == Part.TEST)) throw new UserError("no test film could be read");
            List<ShortcutAudit.Probe> probes = ShortcutAudit.run(films, model.card().classes(), model.recipe().usesMask());
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("model", modelDir.toAbsolutePath().normalize().toString());
            header.put("datasets", datasets.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
            Map<String, Object> counts = new LinkedHashMap<>();
            for (Part p : Part.values()) counts.put(p.id(), films.stream().filter(f -> f.part() == p).count());
            header.put("films", counts);
            header.put("input", model.recipe().usesMask()
                    ? "lungs only: the outline probe sees the model's crop region, the lungs-filled classifier one grey lung shape on black"
                    : "whole film: the outline probe sees where the film's lungs lie in the model's input square, and the lungs-filled "
                    + "classifier the film with its lungs filled with one grey");
            header.put("sampling", String.format(Locale.ROOT, "train films at most %d, val at most %d (fixed random samples), all test films; "
                    + "films labelled pneumonia of unknown type are left out", maxTrain, maxVal));
            Files.createDirectories(out);
            AuditReport.write(header, probes, out);
            for (ShortcutAudit.Probe p : probes) {
                System.out.printf(Locale.ROOT, "%-24s balanced accuracy %.3f (chance %.3f, %d test films)  %s%n", p.id(), p.balancedAccuracy(),
                        p.chance(), p.testFilms(), p.question());
            }
            System.out.println("report: " + out.resolve("report.html").toAbsolutePath().normalize());
            System.out.println(ModelCard.DISCLAIMER);
            return ExitCodes.of(films.size(), failures.size() + ds.problems().size());
        }
    }

    /** A fixed random sample of at most {@code max} samples, in their original order. */
    static List<Sample> sample(List<Sample> all, int max) {
        if (all.size() <= max) return all;
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) idx.add(i);
        java.util.Collections.shuffle(idx, new Random(42));
        List<Integer> keep = new ArrayList<>(idx.subList(0, max));
        java.util.Collections.sort(keep);
        return keep.stream().map(all::get).toList();
    }
}
