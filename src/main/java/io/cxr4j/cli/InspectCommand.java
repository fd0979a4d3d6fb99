package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.jobs.InspectJob;
import io.cxr4j.data.Label;
import io.cxr4j.quality.Quality;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Summarise a dataset: counts per label, source, view and patient; image sizes and formats;",
                "unreadable or missing files; label disagreements between metadata.csv and tags; image quality flags.",
                "Quality measures: resolution (shorter side), RMS contrast, white clipping (overexposure),",
                "sharpness (variance of the Laplacian) and noise (Immerkaer's estimate); see docs/quality.md."})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "One or more dataset folders, summarised as one collection.")
    List<Path> datasets;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary (and per-image measures) as JSON.")
    Path json;

    @Option(names = "--annotations", paramLabel = "DIR", description = "Darwin JSON folder (default DATASET/annotations).")
    Path annotations;

    @Option(names = "--min-side", defaultValue = "200", description = "Flag images whose shorter side is below this (px).")
    int minSide;

    @Option(names = "--min-contrast", defaultValue = "0.10", description = "Flag RMS contrast below this (0..0.5).")
    double minContrast;

    @Option(names = "--max-clipped", defaultValue = "0.05", description = "Flag a fraction of white-clipped pixels above this.")
    double maxClipped;

    @Option(names = "--min-sharpness", defaultValue = "20", description = "Flag Laplacian variance below this (at 256 px).")
    double minSharpness;

    @Option(names = "--max-noise", defaultValue = "2.0", description = "Flag noise sigma above this (grey levels, at 256 px).")
    double maxNoise;

    @Option(names = "--no-brisque", description = "Skip the BRISQUE score (OpenCV's model; see docs/quality.md).")
    boolean noBrisque;

    @Option(names = "--brisque-model", paramLabel = "DIR", description = "Folder with OpenCV's BRISQUE model (default /usr/share/opencv4/quality).")
    Path brisqueModel;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (annotations != null && datasets.size() > 1) throw new UserError("--annotations applies to a single DATASET");
        Dataset ds = datasets.size() == 1 ? CommonOptions.scan(datasets.get(0), annotations) : CommonOptions.scan(datasets);
        Quality.Thresholds th = new Quality.Thresholds(minSide, minContrast, maxClipped, minSharpness, maxNoise);
        InspectJob.Result r = inspect(ds, th, noBrisque, brisqueModel, common.threads());
        System.out.print(render(r.summary()));
        common.report(System.err, ds.problems(), r.failures());
        if (json != null) InspectJob.writeJson(r, json);
        int skipped = r.failures().size() + ds.problems().size();
        return ExitCodes.of(r.infos().size(), skipped);
    }

    /** Inspects {@code ds} with the BRISQUE model in {@code brisqueModel} (the default folder when null), unless {@code noBrisque}. */
    static InspectJob.Result inspect(Dataset ds, Quality.Thresholds th, boolean noBrisque, Path brisqueModel, int threads) {
        io.cxr4j.quality.brisque.Brisque brisque = null;
        String note = "skipped (--no-brisque)";
        if (!noBrisque) {
            try {
                brisque = io.cxr4j.quality.brisque.Brisque.load(brisqueModel);
            } catch (io.cxr4j.util.BadInputException e) {
                note = "not available: " + io.cxr4j.quality.brisque.Brisque.folder(brisqueModel) + ": " + e.getMessage();
            }
        }
        return InspectJob.run(ds, th, brisque, note, threads);
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "dataset   %s (%s layout)%n", m.get("dataset"), m.get("layout")));
        sb.append(String.format(Locale.ROOT, "images    %s (%s readable), patients %s%n", m.get("images"), m.get("readable"), m.get("patients")));
        Map<String, Map<String, Integer>> bySource = (Map<String, Map<String, Integer>>) m.get("label_by_source");
        List<String> sources = new ArrayList<>(((Map<String, Integer>) m.get("sources")).keySet());
        Map<String, Long> ppl = (Map<String, Long>) m.get("patients_per_label");
        // each source column is as wide as its name needs (long names must not run together)
        String[] col = new String[sources.size()];
        for (int i = 0; i < col.length; i++) col[i] = "%" + Math.max(10, sources.get(i).length() + 2) + "s";
        sb.append(String.format(Locale.ROOT, "%n%-22s", "label"));
        for (int i = 0; i < col.length; i++) sb.append(String.format(Locale.ROOT, col[i], sources.get(i)));
        sb.append(String.format(Locale.ROOT, "%10s%10s%n", "total", "patients"));
        List<String> rows = new ArrayList<>();
        for (Label l : Label.values()) rows.add(l.id());
        for (String k : bySource.keySet()) if (!rows.contains(k)) rows.add(k);
        int[] colTotals = new int[sources.size()];
        int all = 0;
        for (String r : rows) {
            Map<String, Integer> c = bySource.getOrDefault(r, Map.of());
            boolean other = Label.fromId(r).isEmpty();
            sb.append(String.format(Locale.ROOT, "%-22s", r + (other ? "*" : "")));
            int t = 0;
            for (int i = 0; i < sources.size(); i++) {
                int v = c.getOrDefault(sources.get(i), 0);
                colTotals[i] += v;
                t += v;
                sb.append(String.format(Locale.ROOT, col[i], v));
            }
            all += t;
            sb.append(String.format(Locale.ROOT, "%10d%10d%n", t, ppl.getOrDefault(r, 0L)));
        }
        sb.append(String.format(Locale.ROOT, "%-22s", "all"));
        for (int i = 0; i < colTotals.length; i++) sb.append(String.format(Locale.ROOT, col[i], colTotals[i]));
        sb.append(String.format(Locale.ROOT, "%10d%10s%n", all, m.get("patients")));
        if (!((Map<?, ?>) m.get("other_findings")).isEmpty()) {
            sb.append("* not one of the four classes (pneumonia: bacterial or viral, type unknown, trained and scored as such;"
                    + " others skipped for training, still masked)\n");
        }
        sb.append(String.format(Locale.ROOT, "%nviews         %s%n", m.get("views")));
        sb.append(String.format(Locale.ROOT, "mask sources  %s%n", m.get("mask_sources")));
        sb.append(String.format(Locale.ROOT, "formats       %s%n", m.get("formats")));
        List<String> mism = (List<String>) m.get("extension_mismatch");
        if (!mism.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "              %d file(s) whose content does not match the extension: %s%n",
                    mism.size(), String.join(", ", mism.subList(0, Math.min(5, mism.size()))) + (mism.size() > 5 ? ", ..." : "")));
        }
        Map<String, Object> size = (Map<String, Object>) m.get("size");
        if (!size.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "sizes         width %s, height %s%n", size.get("width"), size.get("height")));
            sb.append(String.format(Locale.ROOT, "              longest side %s%n", size.get("longest_side")));
        }
        List<?> dis = (List<?>) m.get("label_disagreements");
        sb.append(String.format(Locale.ROOT, "label disagreements (metadata.csv vs tags): %d%n", dis.size()));
        for (Object d : dis.subList(0, Math.min(10, dis.size()))) sb.append("  ").append(d).append('\n');
        Map<String, Object> q = (Map<String, Object>) m.get("quality");
        sb.append(String.format(Locale.ROOT, "quality       %s image(s) flagged %s; medians %s%n", q.get("flagged_images"), q.get("flags"), q.get("medians")));
        Map<String, Object> bq = (Map<String, Object>) m.get("brisque");
        if (bq != null) {
            if (bq.containsKey("percentiles")) {
                sb.append(String.format(Locale.ROOT, "BRISQUE      %s; films at or above %s; worst %s%n", bq.get("percentiles"),
                        bq.get("films_at_or_above"), bq.get("worst")));
            } else {
                sb.append(String.format(Locale.ROOT, "BRISQUE      %s%n", bq.get("note")));
            }
        }
        List<?> skipped = (List<?>) m.get("skipped");
        sb.append(String.format(Locale.ROOT, "skipped       %d (unreadable, missing or inconsistent files; listed on stderr)%n", skipped.size()));
        sb.append("Research tool, not a diagnostic device.\n");
        return sb.toString();
    }
}
