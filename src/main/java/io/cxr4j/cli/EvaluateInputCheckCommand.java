package io.cxr4j.cli;

import io.cxr4j.check.CheckEvaluation;
import io.cxr4j.check.CheckEvaluator;
import io.cxr4j.check.InputCheck;
import io.cxr4j.check.NotFrontalSet;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.data.Sample;
import io.cxr4j.model.ModelCard;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "evaluate-input-check", mixinStandardHelpOptions = true,
        description = {"Measure the input check on inputs it never trained on: the test patients' frontal films (as they are,",
                "turned, inverted and cut to one part), the held-out part of --not-frontal, synthetic pictures of trained and",
                "never-trained kinds, and any --other folders of images. Prints a table and writes OUT/input_check.json."})
public final class EvaluateInputCheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "Collections of frontal films (their test patients are used).")
    List<Path> datasets;

    @Option(names = "--input-check", paramLabel = "CHECK_DIR", description = "Input-check model (default: the shipped models/input-check).")
    Path checkDir;

    @Option(names = "--not-frontal", required = true, paramLabel = "DIR", description = "Real images that are not frontal films (../shared/datasets/not-frontal).")
    Path notFrontal;

    @Option(names = "--split", paramLabel = "SPLIT_CSV", description = "Split whose test part is used (default: the shipped classifier's split.csv).")
    Path split;

    @Option(names = "--synthetic", defaultValue = "40", description = "Synthetic pictures per kind (default ${DEFAULT-VALUE}).")
    int synthetic;

    @Option(names = "--other", paramLabel = "DIR", description = "Folders of further images that are not chest X-rays (read recursively).")
    List<Path> others = new ArrayList<>();

    @Option(names = "--segmenter", paramLabel = "SEG_DIR", description = "Lung segmenter (default: the shipped one).")
    Path segmenter;

    @Option(names = "--out", paramLabel = "OUT_DIR", description = "Where input_check.json goes (default: only print).")
    Path out;

    @Mixin
    MaskCacheOptions maskCacheOptions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (checkDir == null) checkDir = Models.shipped("input-check");
        if (split == null) split = Models.shipped("classifier").resolve("split.csv");
        Dataset ds = CommonOptions.scan(datasets);
        List<Sample> test;
        List<NotFrontalSet.Item> nf;
        InputCheck check;
        double share;
        try {
            test = PatientSplit.read(split).select(ds.withTargets(), PatientSplit.Part.TEST);
            check = InputCheck.load(checkDir);
            Object s = check.card().validation().get("not_frontal_train_share");
            share = s instanceof Number n ? n.doubleValue() : 0.6;
            nf = NotFrontalSet.read(notFrontal, share);
        } catch (BadInputException e) {
            throw new UserError(e.getMessage(), e);
        }
        List<Path> otherFiles = new ArrayList<>();
        for (Path d : others) {
            try (Stream<Path> s = Files.walk(d)) {
                s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|dcm)$"))
                        .sorted().forEach(otherFiles::add);
            }
        }
        CheckEvaluation ev;
        try (check; LungSegmenter seg = CommonOptions.segmenter(segmenter)) {
            ev = new CheckEvaluator(check, seg, seg.provider(maskCacheOptions.cache()), common.threads()).evaluate(test, nf, synthetic, otherFiles, 7);
        }
        List<CheckEvaluation.Row> shown = new ArrayList<>(ev.rows());
        shown.add(ev.pooled("view", null));
        shown.add(ev.pooled("not-frontal", true));
        shown.add(ev.pooled("not-frontal", false));
        System.out.printf("%-34s %5s %8s %10s %8s %8s   %s%n", "kind", "n", "refused", "corrected", "wrongly", "accepted", "handled (frontal: accepted)");
        for (CheckEvaluation.Row r : shown) {
            double figure = r.group().equals("frontal") ? r.share(r.accepted() + r.correctedRight()) : r.share(r.handled());
            System.out.printf(Locale.ROOT, "%-34s %5d %8d %10d %8d %8d   %.3f%n", r.kind(), r.n(), r.refused(), r.correctedRight(), r.correctedWrong(),
                    r.accepted(), figure);
        }
        if (out != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("input_check", checkDir.toAbsolutePath().normalize().toString());
            doc.put("split", split.toString());
            doc.put("rows", ev.rows());
            doc.put("pooled", List.of(ev.pooled("view", null), ev.pooled("not-frontal", true), ev.pooled("not-frontal", false)));
            Files.createDirectories(out);
            AtomicFiles.writeBytes(out.resolve("input_check.json"), ModelCard.json().writeValueAsBytes(doc));
            System.out.println("written to " + out.resolve("input_check.json"));
        }
        return 0;
    }
}
