package io.cxr4j.cli;

import io.cxr4j.analysis.Analysis;
import io.cxr4j.analysis.AnalysisOptions;
import io.cxr4j.analysis.Outcome;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.analysis.XrayInput;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.DatasetReader;
import io.cxr4j.data.PatientIds;
import io.cxr4j.data.Sample;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.BadInputException;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;
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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Label chest X-rays with a trained classifier: the predicted class and the probability of each class.",
                "PATH is an image, a folder of images, or a dataset folder (images/ + annotations/). The lung mask comes",
                "from the image's annotation (--annotations DIR, or the dataset's own annotations/ or masks/).",
                "Research tool, not a diagnostic device."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "Classifier folder (default: the shipped models/classifier).")
    Path modelDir;

    @Parameters(arity = "1..*", paramLabel = "PATH")
    List<Path> paths;

    @Option(names = "--annotations", paramLabel = "DIR", description = "Folder of Darwin JSON files named <image stem>.json.")
    Path annotations;

    @Option(names = "--format", defaultValue = "table", description = "table, json or csv (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--segmenter", paramLabel = "SEG_DIR", description = {"Lung segmenter for images without an annotation",
            "(default: the shipped models/lung-segmenter)."})
    Path segmenter;

    @Option(names = "--heatmaps", paramLabel = "DIR", description = {"Write DIR/<stem>.png for each labelled film: the film with the",
            "lung outline and a Grad-CAM heat map of where the classifier looked for the class it gave."})
    Path heatmaps;

    @Mixin
    InputCheckOptions inputCheck;

    @Mixin
    CommonOptions common;

    /** An analysed film and, for a bacterial or viral call, what the model cannot tell about it (else null). */
    record Result(Sample sample, Analysis analysis, String note) {
        float[] probs() { return analysis.probabilities(); }
    }

    @Override
    public Integer call() throws Exception {
        if (!Set.of("table", "json", "csv").contains(format)) throw new UserError("--format must be table, json or csv");
        if (modelDir == null) modelDir = Models.shipped("classifier");
        List<Sample> items = new ArrayList<>();
        List<Dataset.Problem> problems = new ArrayList<>();
        for (Path p : paths) collect(p, items, problems);
        if (heatmaps != null) checkHeatmapTargets(items, heatmaps);
        XrayAnalyzer analyzer;
        try {
            analyzer = XrayAnalyzer.load(modelDir, Models.segmenter(segmenter), inputCheck.apply(AnalysisOptions.defaults().withHeatmap(heatmaps != null)));
        } catch (BadInputException e) {
            throw new UserError(modelDir + ": " + e.getMessage(), e);
        }
        try (analyzer) {
            List<XrayInput> inputs = items.stream().map(XrayInput::of).toList();
            Progress progress = items.size() > 20 ? Progress.forStderr("predict", items.size()) : Progress.silent(items.size());
            List<Outcome> outcomes = analyzer.analyzeAll(inputs, Math.min(common.threads(), 2), progress);
            List<Result> ordered = new ArrayList<>();
            List<Batch.Failure> failures = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                Outcome o = outcomes.get(i);
                if (o.ok()) ordered.add(new Result(items.get(i), o.analysis(), XrayAnalyzer.typeNote(analyzer.card(), o.analysis().predicted())));
                else failures.add(new Batch.Failure(items.get(i).image(), o.reason(), o.error()));
            }
            List<Outcome> notAnalysed = outcomes.stream().filter(o -> !o.ok()).toList();
            if (!ordered.isEmpty() || (!format.equals("table") && !notAnalysed.isEmpty())) print(analyzer.card(), ordered, notAnalysed);
            if (heatmaps != null) writeHeatmaps(ordered, heatmaps);
            for (Dataset.Problem p : problems) System.err.println(p.file() + ": " + p.reason());
            common.report(System.err, List.of(), failures);
            return ExitCodes.of(ordered.size(), failures.size() + problems.size());
        }
    }

    /** DIR/<stem>.png for each film; two films with one stem, or a target that is an input film, are refused before any work. */
    static void checkHeatmapTargets(List<Sample> items, Path dir) {
        Map<String, Path> byStem = new LinkedHashMap<>();
        java.util.Set<Path> inputs = new java.util.HashSet<>();
        for (Sample s : items) inputs.add(s.image().toAbsolutePath().normalize());
        for (Sample s : items) {
            String stem = PatientIds.stem(s.image().getFileName().toString());
            Path before = byStem.putIfAbsent(stem, s.image());
            if (before != null) {
                throw new UserError("--heatmaps: " + before + " and " + s.image() + " would both write " + dir.resolve(stem + ".png")
                        + "; run them separately");
            }
            if (inputs.contains(dir.resolve(stem + ".png").toAbsolutePath().normalize())) {
                throw new UserError("--heatmaps " + dir + " would overwrite the input " + dir.resolve(stem + ".png") + "; choose another folder");
            }
        }
    }

    /** The film with its lung outline and the heat map over it, written whole or not at all. */
    static void writeHeatmaps(List<Result> results, Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        for (Result r : results) {
            io.cxr4j.analysis.Analysis a = r.analysis();
            if (a.heatmap() == null) continue;
            java.awt.image.BufferedImage pic = io.cxr4j.explain.HeatOverlay.render(a.image(), a.lungMask(), a.heatmap());
            Path target = dir.resolve(PatientIds.stem(r.sample().image().getFileName().toString()) + ".png");
            io.cxr4j.util.AtomicFiles.write(target, out -> javax.imageio.ImageIO.write(pic, "png", out));
        }
    }

    private void collect(Path p, List<Sample> out, List<Dataset.Problem> problems) {
        if (Files.isDirectory(p)) {
            if (Files.isDirectory(p.resolve("images"))) {
                try {
                    Dataset ds = DatasetReader.scan(p, annotations);
                    out.addAll(ds.samples());
                    problems.addAll(ds.problems());
                } catch (BadInputException e) {
                    problems.add(new Dataset.Problem(p, e.getMessage()));
                }
                return;
            }
            try (Stream<Path> s = Files.list(p)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                    if (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".dcm")) out.add(single(f));
                }
            } catch (java.io.IOException e) {
                problems.add(new Dataset.Problem(p, "cannot list folder: " + e.getMessage()));
            }
            return;
        }
        if (!Files.isRegularFile(p)) {
            problems.add(new Dataset.Problem(p, "no such file or folder"));
            return;
        }
        out.add(single(p));
    }

    /** A lone image; its annotation from --annotations, or from a dataset it sits in (images/ next to annotations/). */
    private Sample single(Path img) {
        String file = img.getFileName().toString();
        String stem = PatientIds.stem(file);
        Path ann = null, mask = null;
        List<Path> annDirs = new ArrayList<>();
        if (annotations != null) annDirs.add(annotations);
        Path parent = img.toAbsolutePath().getParent();
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("images")) {
            annDirs.add(parent.resolveSibling("annotations"));
            Path m = parent.resolveSibling("masks").resolve(stem + ".png");
            if (Files.isRegularFile(m)) mask = m;
        }
        for (Path d : annDirs) {
            Path a = d.resolve(stem + ".json");
            if (Files.isRegularFile(a)) {
                ann = a;
                break;
            }
        }
        return new Sample(file, img, ann, mask, null, null, PatientIds.fromFileName(file), null, null, null);
    }

    /**
     * Prints the analysed films; in json and csv also one row per film that got no class, with its status
     * ("refused": not a frontal chest X-ray; "error": could not be analysed) and reason.
     */
    private void print(ModelCard card, List<Result> results, List<Outcome> notAnalysed) throws Exception {
        List<String> classes = card.classes();
        switch (format) {
            case "json" -> {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Result r : results) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("file", r.sample().image().toString());
                    m.put("predicted", r.analysis().predicted());
                    m.put("confidence", round(r.analysis().confidence()));
                    Map<String, Object> p = new LinkedHashMap<>();
                    for (int i = 0; i < classes.size(); i++) p.put(classes.get(i), round(r.probs()[i]));
                    m.put("probabilities", p);
                    m.put("pneumonia_bacterial_or_viral", round(r.analysis().pneumonia()));
                    m.put("lung_mask", r.analysis().lungMaskSource());
                    if (r.note() != null) m.put("note", r.note());
                    if (!r.analysis().corrections().isEmpty()) m.put("corrections", r.analysis().corrections());
                    m.put("status", Outcome.OK);
                    rows.add(m);
                }
                for (Outcome o : notAnalysed) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("file", shownName(o));
                    m.put("status", o.status());
                    m.put("reason", o.reason());
                    rows.add(m);
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("disclaimer", ModelCard.DISCLAIMER);
                doc.put("model", modelDir.toAbsolutePath().normalize().toString());
                if (card.trainedOn() != null) doc.put("trained_on", trainedOnSummary(card));
                doc.put("predictions", rows);
                System.out.println(ModelCard.json().writeValueAsString(doc));
            }
            case "csv" -> {
                StringBuilder sb = new StringBuilder("file,predicted,confidence");
                for (String c : classes) sb.append(",p_").append(c);
                sb.append(",lung_mask,p_pneumonia,note,status,reason,corrections");
                System.out.println(sb);
                for (Result r : results) {
                    Object[] row = new Object[9 + classes.size()];
                    row[6 + classes.size()] = Outcome.OK;
                    row[7 + classes.size()] = "";
                    row[8 + classes.size()] = String.join("; ", r.analysis().corrections());
                    row[3 + classes.size()] = r.analysis().lungMaskSource();
                    row[4 + classes.size()] = String.format(Locale.ROOT, "%.4f", r.analysis().pneumonia());
                    row[5 + classes.size()] = r.note() == null ? "" : r.note();
                    row[0] = r.sample().image().toString();
                    row[1] = r.analysis().predicted();
                    row[2] = String.format(Locale.ROOT, "%.4f", r.analysis().confidence());
                    for (int i = 0; i < classes.size(); i++) row[3 + i] = String.format(Locale.ROOT, "%.4f", r.probs()[i]);
                    System.out.print(io.cxr4j.data.Csv.line(row));
                }
                for (Outcome o : notAnalysed) {
                    Object[] row = new Object[9 + classes.size()];
                    java.util.Arrays.fill(row, "");
                    row[0] = shownName(o);
                    row[6 + classes.size()] = o.status();
                    row[7 + classes.size()] = o.reason();
                    System.out.print(io.cxr4j.data.Csv.line(row));
                }
                System.err.println(ModelCard.DISCLAIMER);
            }
            default -> {
                int w = Math.max(20, results.stream().mapToInt(r -> r.sample().file().length()).max().orElse(20));
                StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s  %-20s %6s ", "file", "predicted", "conf"));
                for (String c : classes) head.append(String.format(Locale.ROOT, " %10s", abbreviate(c)));
                head.append("  lung mask");
                System.out.println(head);
                String note = null;
                for (Result r : results) {
                    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s  %-20s %6.3f ", r.sample().file(),
                            r.analysis().predicted(), r.analysis().confidence()));
                    for (float p : r.probs()) sb.append(String.format(Locale.ROOT, " %10.3f", p));
                    sb.append("  ").append(r.analysis().lungMaskSource());
                    if (r.note() != null) {
                        sb.append("  (*)");
                        note = r.note();
                    }
                    System.out.println(sb);
                }
                if (note != null) System.out.println("(*) " + note);
                if (card.trainedOn() != null) System.out.println("Trained on: " + trainedOnSummary(card) + ".");
                System.out.println(ModelCard.DISCLAIMER);
            }
        }
    }

    /** "kermany (child), nih (adult), ...": where the training films came from. */
    static String trainedOnSummary(ModelCard card) {
        ModelCard.TrainedOn t = card.trainedOn();
        List<String> parts = new ArrayList<>();
        for (var e : t.sources().entrySet()) {
            int n = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
            parts.add(e.getKey() + " " + n + " films " + e.getValue().keySet());
        }
        return String.join("; ", parts) + "; populations " + t.populations();
    }

    private static String abbreviate(String c) {
        return switch (c) {
            case "bacterial_pneumonia" -> "bacterial";
            case "viral_pneumonia" -> "viral";
            default -> c;
        };
    }

    /** How an input that got no class is named in json/csv: its path, as analysed films are. */
    private static String shownName(Outcome o) {
        return o.input().path() != null ? o.input().path().toString() : o.input().name();
    }

    private static double round(double v) { return Math.round(v * 1e4) / 1e4; }
}
