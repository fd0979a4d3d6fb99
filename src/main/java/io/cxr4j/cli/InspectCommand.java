package io.cxr4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.Label;
import io.cxr4j.data.Sample;
import io.cxr4j.image.ImageReader;
import io.cxr4j.quality.Quality;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

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

    record ImageInfo(String file, String label, String patient, String source, String view, int width, int height,
                     String format, boolean extensionMismatch, Quality quality, List<String> flags, Double brisque) {}

    @Override
    public Integer call() throws Exception {
        if (annotations != null && datasets.size() > 1) throw new UserError("--annotations applies to a single DATASET");
        Dataset ds = datasets.size() == 1 ? CommonOptions.scan(datasets.get(0), annotations) : CommonOptions.scan(datasets);
        Quality.Thresholds th = new Quality.Thresholds(minSide, minContrast, maxClipped, minSharpness, maxNoise);
        List<Sample> items = ds.samples();
        io.cxr4j.quality.brisque.Brisque brisque = null;
        String brisqueNote = null;
        if (!noBrisque) {
            try {
                brisque = io.cxr4j.quality.brisque.Brisque.load(brisqueModel);
            } catch (io.cxr4j.util.BadInputException e) {
                brisqueNote = io.cxr4j.quality.brisque.Brisque.folder(brisqueModel) + ": " + e.getMessage();
            }
        }
        final io.cxr4j.quality.brisque.Brisque bq = brisque;
        Map<String, ImageInfo> infos = new ConcurrentHashMap<>();
        Progress progress = Progress.forStderr("inspect", items.size());
        List<Batch.Failure> failures = Batch.run(items, common.threads(), Sample::image, progress, s -> {
            ImageReader.Decoded d = ImageReader.decode(s.image());
            Quality q = Quality.measure(d.image());
            String ext = s.file().substring(s.file().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            boolean mismatch = !(d.format().equals("png") ? ext.equals("png") : d.format().equals("dicom") ? ext.equals("dcm")
                    : ext.equals("jpg") || ext.equals("jpeg"));
            Double score = bq == null ? null : bq.score(d.image());
            infos.put(s.file(), new ImageInfo(s.file(), s.labelOrFinding(), s.patientId(), s.source(), s.view(),
                    d.image().width(), d.image().height(), d.format(), mismatch, q, q.flags(th), score));
        });

        Map<String, Object> summary = summarise(ds, items, infos, failures, th);
        summary.put("brisque", brisque == null ? Map.of("note", noBrisque ? "skipped (--no-brisque)" : "not available: " + brisqueNote)
                : brisqueSummary(infos));
        System.out.print(render(summary));
        common.report(System.err, ds.problems(), failures);
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>(summary);
            List<ImageInfo> list = new ArrayList<>(infos.values());
            list.sort(Comparator.comparing(ImageInfo::file));
            doc.put("images", list);
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.writeBytes(json, om.writeValueAsBytes(doc));
        }
        int skipped = failures.size() + ds.problems().size();
        return ExitCodes.of(infos.size(), skipped);
    }

    static Map<String, Object> summarise(Dataset ds, List<Sample> items, Map<String, ImageInfo> infos,
                                         List<Batch.Failure> failures, Quality.Thresholds th) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", ds.roots().size() == 1 ? ds.root().toAbsolutePath().normalize().toString()
                : String.join(" + ", ds.roots().stream().map(r -> r.toAbsolutePath().normalize().toString()).toList()));
        m.put("layout", ds.layout().name().toLowerCase(Locale.ROOT));
        m.put("images", items.size());
        m.put("readable", infos.size());
        m.put("patients", items.stream().map(Sample::patientId).distinct().count());
        Map<String, Integer> labels = new LinkedHashMap<>();
        for (Label l : Label.values()) labels.put(l.id(), 0);
        for (Sample s : items) if (s.label() != null) labels.merge(s.label().id(), 1, Integer::sum);
        m.put("labels", labels);
        m.put("other_findings", new TreeMap<>(ds.otherFindings()));
        Map<String, Map<String, Integer>> bySource = new TreeMap<>();
        for (Sample s : items) {
            bySource.computeIfAbsent(s.labelOrFinding(), k -> new TreeMap<>())
                    .merge(s.source() == null ? "unknown" : s.source(), 1, Integer::sum);
        }
        m.put("label_by_source", bySource);
        m.put("sources", count(items.stream().map(s -> s.source() == null ? "unknown" : s.source()).toList()));
        m.put("views", count(items.stream().map(s -> s.view() == null ? "unknown" : s.view()).toList()));
        m.put("patients_per_label", patientsPerLabel(items));
        Map<String, Integer> maskSources = new LinkedHashMap<>();
        maskSources.put("annotation", (int) items.stream().filter(s -> s.annotation() != null).count());
        maskSources.put("mask_png", (int) items.stream().filter(s -> s.mask() != null).count());
        m.put("mask_sources", maskSources);
        m.put("formats", count(infos.values().stream().map(ImageInfo::format).toList()));
        m.put("extension_mismatch", infos.values().stream().filter(ImageInfo::extensionMismatch).map(ImageInfo::file).sorted().toList());
        m.put("size", sizeStats(infos));
        List<Map<String, String>> unreadable = new ArrayList<>();
        for (Dataset.Problem p : ds.problems()) unreadable.add(Map.of("file", p.file().toString(), "reason", p.reason()));
        for (Batch.Failure f : failures) unreadable.add(Map.of("file", f.file().toString(), "reason", f.reason()));
        m.put("skipped", unreadable);
        List<Map<String, String>> dis = new ArrayList<>();
        for (Dataset.Disagreement d : ds.disagreements()) dis.add(Map.of("file", d.file(), "metadata", d.metadataLabel(), "tags", d.tagLabel()));
        m.put("label_disagreements", dis);
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("thresholds", th);
        Map<String, Integer> flagCounts = new TreeMap<>();
        int flagged = 0;
        for (ImageInfo i : infos.values()) {
            if (!i.flags().isEmpty()) flagged++;
            for (String f : i.flags()) flagCounts.merge(f, 1, Integer::sum);
        }
        q.put("flagged_images", flagged);
        q.put("flags", flagCounts);
        q.put("medians", medians(infos));
        m.put("quality", q);
        return m;
    }

    /** BRISQUE distribution (OpenCV's scale): percentiles, counts above cut-offs, and the worst films. */
    static Map<String, Object> brisqueSummary(Map<String, ImageInfo> infos) {
        List<ImageInfo> scored = infos.values().stream().filter(i -> i.brisque() != null)
                .sorted(Comparator.comparingDouble(ImageInfo::brisque).reversed()).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scored", scored.size());
        if (scored.isEmpty()) return m;
        double[] v = scored.stream().mapToDouble(ImageInfo::brisque).sorted().toArray();
        Map<String, Double> pct = new LinkedHashMap<>();
        for (double p : new double[] {5, 25, 50, 75, 95, 99}) pct.put("p" + (int) p, Math.round(io.cxr4j.eval.Summary.percentile(v, p) * 100) / 100.0);
        pct.put("max", Math.round(v[v.length - 1] * 100) / 100.0);
        m.put("percentiles", pct);
        Map<String, Long> above = new LinkedHashMap<>();
        for (int cut : new int[] {30, 40, 50, 60, 70}) above.put(">=" + cut, java.util.Arrays.stream(v).filter(x -> x >= cut).count());
        m.put("films_at_or_above", above);
        Map<String, Double> worst = new LinkedHashMap<>();
        for (ImageInfo i : scored.subList(0, Math.min(10, scored.size()))) worst.put(i.file(), Math.round(i.brisque() * 100) / 100.0);
        m.put("worst", worst);
        return m;
    }

    private static Map<String, Integer> count(List<String> values) {
        Map<String, Integer> c = new TreeMap<>();
        for (String v : values) c.merge(v, 1, Integer::sum);
        return c;
    }

    private static Map<String, Long> patientsPerLabel(List<Sample> items) {
        Map<String, Long> m = new TreeMap<>();
        Map<String, java.util.Set<String>> sets = new TreeMap<>();
        for (Sample s : items) sets.computeIfAbsent(s.labelOrFinding(), k -> new java.util.HashSet<>()).add(s.patientId());
        sets.forEach((k, v) -> m.put(k, (long) v.size()));
        return m;
    }

    private static Map<String, Object> sizeStats(Map<String, ImageInfo> infos) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (infos.isEmpty()) return m;
        int[] w = infos.values().stream().mapToInt(ImageInfo::width).sorted().toArray();
        int[] h = infos.values().stream().mapToInt(ImageInfo::height).sorted().toArray();
        m.put("width", Map.of("min", w[0], "median", medianInt(w), "max", w[w.length - 1]));
        m.put("height", Map.of("min", h[0], "median", medianInt(h), "max", h[h.length - 1]));
        Map<String, Integer> longest = new LinkedHashMap<>();
        int[] edges = {0, 224, 225, 512, 513, 1024, 1025, Integer.MAX_VALUE};
        String[] names = {"< 224", "224", "225-511", "512", "513-1024", "> 1024"};
        for (String n : names) longest.put(n, 0);
        for (ImageInfo i : infos.values()) {
            int l = Math.max(i.width(), i.height());
            String key = l < 224 ? names[0] : l == 224 ? names[1] : l < 512 ? names[2] : l == 512 ? names[3] : l <= 1024 ? names[4] : names[5];
            longest.merge(key, 1, Integer::sum);
        }
        m.put("longest_side", longest);
        return m;
    }

    private static Map<String, Double> medians(Map<String, ImageInfo> infos) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (infos.isEmpty()) return m;
        List<Quality> qs = infos.values().stream().map(ImageInfo::quality).toList();
        m.put("contrast", median(qs.stream().mapToDouble(Quality::contrast).toArray()));
        m.put("clipped_white", median(qs.stream().mapToDouble(Quality::clippedWhite).toArray()));
        m.put("sharpness", median(qs.stream().mapToDouble(Quality::sharpness).toArray()));
        m.put("noise", median(qs.stream().mapToDouble(Quality::noise).toArray()));
        return m;
    }

    private static double medianInt(int[] sorted) {
        return io.cxr4j.eval.Summary.percentile(Arrays.stream(sorted).asDoubleStream().toArray(), 50);
    }

    private static double median(double[] v) {
        Arrays.sort(v);
        return Math.round(io.cxr4j.eval.Summary.percentile(v, 50) * 1e4) / 1e4;
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
