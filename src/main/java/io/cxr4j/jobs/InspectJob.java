package io.cxr4j.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.Label;
import io.cxr4j.data.Sample;
import io.cxr4j.image.ImageReader;
import io.cxr4j.quality.Quality;
import io.cxr4j.quality.brisque.Brisque;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Inspects a dataset: decodes every film once, measures its quality (and BRISQUE score when a model is
 * given), and summarises counts per label, source, view and patient, sizes, formats and quality flags.
 */
public final class InspectJob {
    private InspectJob() {}

    /** The summary (as inspect prints it and writes it to JSON), each readable film's measures, and the films that failed. */
    public record Result(Map<String, Object> summary, Map<String, ImageInfo> infos, List<Batch.Failure> failures) {}

    /**
     * @param brisque   the BRISQUE model, or null to leave the score out, saying why in {@code brisqueNote}
     */
    public static Result run(Dataset ds, Quality.Thresholds th, Brisque brisque, String brisqueNote, int threads) {
        List<Sample> items = ds.samples();
        Map<String, ImageInfo> infos = new ConcurrentHashMap<>();
        Progress progress = Progress.forStderr("inspect", items.size());
        List<Batch.Failure> failures = Batch.run(items, threads, Sample::image, progress, s -> {
            ImageReader.Decoded d = ImageReader.decode(s.image());
            Quality q = Quality.measure(d.image());
            String ext = s.file().substring(s.file().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            boolean mismatch = !(d.format().equals("png") ? ext.equals("png") : d.format().equals("dicom") ? ext.equals("dcm")
                    : ext.equals("jpg") || ext.equals("jpeg"));
            Double score = brisque == null ? null : brisque.score(d.image());
            infos.put(s.file(), new ImageInfo(s.file(), s.labelOrFinding(), s.patientId(), s.source(), s.view(),
                    d.image().width(), d.image().height(), d.format(), mismatch, q, q.flags(th), score));
        });
        Map<String, Object> summary = summarise(ds, items, infos, failures, th);
        summary.put("brisque", brisque == null ? Map.of("note", brisqueNote) : brisqueSummary(infos));
        return new Result(summary, infos, failures);
    }

    /** The summary and every film's measures (sorted by file) as indented JSON, written atomically. */
    public static void writeJson(Result r, Path json) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>(r.summary());
        List<ImageInfo> list = new ArrayList<>(r.infos().values());
        list.sort(Comparator.comparing(ImageInfo::file));
        doc.put("images", list);
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.writeBytes(json, om.writeValueAsBytes(doc));
    }

    /** One readable film's size, format, quality measures and flags. */
    public record ImageInfo(String file, String label, String patient, String source, String view, int width, int height,
                     String format, boolean extensionMismatch, Quality quality, List<String> flags, Double brisque) {}

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
        m.put("width", range(w));
        m.put("height", range(h));
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

    /** min, median and max, in that order (Map.of's order changes from one run to the next). */
    private static Map<String, Object> range(int[] sorted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", sorted[0]);
        m.put("median", medianInt(sorted));
        m.put("max", sorted[sorted.length - 1]);
        return m;
    }

    private static double medianInt(int[] sorted) {
        return io.cxr4j.eval.Summary.percentile(Arrays.stream(sorted).asDoubleStream().toArray(), 50);
    }

    private static double median(double[] v) {
        Arrays.sort(v);
        return Math.round(io.cxr4j.eval.Summary.percentile(v, 50) * 1e4) / 1e4;
    }
}
