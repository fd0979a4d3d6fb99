package io.cxr4j.data;

import io.cxr4j.data.Dataset.Disagreement;
import io.cxr4j.data.Dataset.Layout;
import io.cxr4j.data.Dataset.Problem;
import io.cxr4j.util.BadInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Scans a dataset folder. Two layouts are understood:
 * <ul>
 *   <li>V7/Darwin: {@code images/}, with {@code annotations/<stem>.json} (Darwin JSON 1.0 or 2.0) and/or
 *   {@code masks/<stem>.png} (V7 semantic masks), optionally {@code metadata.csv}
 *   ({@code file,label,patient_id,view,source,...});</li>
 *   <li>class folders: {@code root/<label>/*.png|jpg}, without masks.</li>
 * </ul>
 * Labels: metadata.csv when it has the image, else the tags (see {@link LabelRules}); disagreements
 * are reported. Patient: metadata.csv, else a {@code PatientID:} tag, else the Kermany file-name
 * patterns, else the file stem.
 */
public final class DatasetReader {
    private static final Set<String> IMAGE_EXT = Set.of("png", "jpg", "jpeg", "dcm");

    private DatasetReader() {}

    public static Dataset scan(Path root) throws BadInputException {
        return scan(root, null);
    }

    /**
     * @param annotationsDir where the Darwin JSON files are, or null for {@code root/annotations}
     */
    public static Dataset scan(Path root, Path annotationsDir) throws BadInputException {
        if (!Files.isDirectory(root)) throw new BadInputException("dataset folder not found");
        Path images = root.resolve("images");
        if (Files.isDirectory(images)) return scanDarwin(root, images, annotationsDir == null ? root.resolve("annotations") : annotationsDir);
        return scanClassFolders(root);
    }

    private static List<Path> listFiles(Path dir) throws BadInputException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new BadInputException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    static String ext(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Dataset scanDarwin(Path root, Path imagesDir, Path annDir) throws BadInputException {
        List<Problem> problems = new ArrayList<>();
        List<Disagreement> disagreements = new ArrayList<>();
        Map<String, Integer> other = new TreeMap<>();
        Map<String, Map<String, String>> meta = readMetadata(root.resolve("metadata.csv"), problems);

        Map<String, Path> annByStem = new HashMap<>();
        for (Path p : listFiles(annDir)) if (ext(p).equals("json")) annByStem.put(PatientIds.stem(p.getFileName().toString()), p);
        Map<String, Path> maskByStem = new HashMap<>();
        for (Path p : listFiles(root.resolve("masks"))) if (ext(p).equals("png")) maskByStem.put(PatientIds.stem(p.getFileName().toString()), p);

        // a collection without annotations/ and masks/ (plain images + metadata.csv) is read too: its lung
        // masks come from the segmenter; where either folder exists, an image without both is a problem
        boolean annotated = Files.isDirectory(annDir) || Files.isDirectory(root.resolve("masks"));
        String defaultSource = folderName(root);
        List<Sample> samples = new ArrayList<>();
        Set<String> imageStems = new HashSet<>();
        Set<String> imageNames = new HashSet<>();
        for (Path img : listFiles(imagesDir)) {
            String file = img.getFileName().toString();
            if (!IMAGE_EXT.contains(ext(img))) {
                problems.add(new Problem(img, "not an image file name (expected .png, .jpg, .jpeg or .dcm)"));
                continue;
            }
            String stem = PatientIds.stem(file);
            if (!imageStems.add(stem)) {
                problems.add(new Problem(img, "another image has the same name stem '" + stem + "'; annotations cannot tell them apart"));
                continue;
            }
            imageNames.add(file);
            Path ann = annByStem.get(stem);
            Path mask = maskByStem.get(stem);
            if (ann == null && mask == null && annotated) {
                problems.add(new Problem(img, "no annotation (" + annDir.getFileName() + "/" + stem + ".json) and no mask (masks/" + stem + ".png)"));
                continue;
            }
            DarwinFile darwin = null;
            if (ann != null) {
                try {
                    darwin = DarwinReader.read(ann);
                } catch (BadInputException e) {
                    problems.add(new Problem(ann, e.getMessage()));
                    continue;
                }
            }
            Map<String, String> row = meta.get(file);
            LabelRules.Result fromTags = darwin == null ? new LabelRules.Result(null, null) : LabelRules.fromTags(darwin.tags());
            Label label = fromTags.label();
            String finding = fromTags.finding();
            if (row != null && row.get("label") != null && !row.get("label").isBlank()) {
                String ml = row.get("label").trim();
                Label metaLabel = Label.fromId(ml).orElse(null);
                String tagText = label != null ? label.id() : finding;
                String metaText = metaLabel != null ? metaLabel.id() : ml;
                if (darwin != null && tagText != null && !tagText.equals(metaText)) {
                    disagreements.add(new Disagreement(file, metaText, tagText));
                }
                label = metaLabel;
                finding = metaLabel == null ? normalisedFinding(ml) : null;
                if (metaLabel == null && !isKnownFinding(finding)) {
                    problems.add(new Problem(img, "unknown label '" + ml + "' in metadata.csv (expected " + labelList()
                            + ", or pneumonia for pneumonia of unknown type); not used for training or evaluation"));
                }
            }
            if (label == null) {
                // still maskable: kept with no label; counted so that inspect can show it
                other.merge(finding == null ? "unlabelled" : finding, 1, Integer::sum);
            }
            String patient = patientOf(file, row, darwin);
            String view = row != null && notBlank(row.get("view")) ? row.get("view") : viewFromTags(darwin);
            String source = row != null && notBlank(row.get("source")) ? row.get("source").trim() : defaultSource;
            samples.add(new Sample(file, img, ann, mask, label, finding, patient, view, source, row));
        }
        for (Map.Entry<String, Path> e : new TreeMap<>(annByStem).entrySet()) {
            if (!imageStems.contains(e.getKey())) {
                problems.add(new Problem(e.getValue(), "annotation without an image (no images/" + e.getKey() + ".*)"));
            }
        }
        for (String f : meta.keySet()) {
            if (!imageNames.contains(f)) problems.add(new Problem(root.resolve("metadata.csv"), "lists " + f + " but images/" + f + " is missing"));
        }
        return new Dataset(root, Layout.DARWIN, samples, problems, disagreements, other);
    }

    private static boolean notBlank(String s) { return s != null && !s.isBlank(); }

    static String folderName(Path root) {
        Path f = root.toAbsolutePath().normalize().getFileName();
        return f == null ? "unknown" : f.toString();
    }

    /** A label outside the four classes, lower case with underscores ("Fungal Pneumonia" -> "fungal_pneumonia"). */
    static String normalisedFinding(String label) {
        return label.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }

    /** Findings that are not an error: the coarse pneumonia label and other kinds of pneumonia (e.g. fungal). */
    static boolean isKnownFinding(String finding) {
        return finding != null && (finding.equals(Sample.COARSE_PNEUMONIA) || finding.endsWith("_pneumonia"));
    }

    static String patientOf(String file, Map<String, String> row, DarwinFile darwin) {
        if (row != null && notBlank(row.get("patient_id"))) return row.get("patient_id").trim();
        if (darwin != null) {
            String tag = darwin.tagValue("PatientID");
            if (notBlank(tag)) return "v7-" + tag;
        }
        return PatientIds.fromFileName(file);
    }

    static String viewFromTags(DarwinFile darwin) {
        if (darwin == null) return null;
        for (String t : darwin.tags()) if (t.startsWith("View/")) return t.substring(5).replace('_', ' ');
        return null;
    }

    /** metadata.csv rows keyed by file name; an unreadable file is reported, not fatal. */
    static Map<String, Map<String, String>> readMetadata(Path csv, List<Problem> problems) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(csv)) return out;
        List<List<String>> rows;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            rows = Csv.read(r);
        } catch (IOException e) {
            problems.add(new Problem(csv, "cannot read: " + e.getMessage()));
            return out;
        }
        if (rows.isEmpty()) return out;
        List<String> header = rows.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        int fileCol = header.indexOf("file");
        if (fileCol < 0) {
            problems.add(new Problem(csv, "no 'file' column in the header; metadata ignored"));
            return out;
        }
        for (int i = 1; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            if (r.size() <= fileCol) {
                problems.add(new Problem(csv, "row " + (i + 1) + " has " + r.size() + " fields; ignored"));
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int c = 0; c < header.size() && c < r.size(); c++) m.put(header.get(c), r.get(c));
            out.put(r.get(fileCol).trim(), m);
        }
        return out;
    }

    private static Dataset scanClassFolders(Path root) throws BadInputException {
        List<Problem> problems = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException("cannot list dataset folder: " + e.getMessage());
        }
        boolean any = false;
        String source = folderName(root);
        for (Path d : dirs) {
            Label label = Label.fromId(d.getFileName().toString()).orElse(null);
            boolean coarse = label == null && normalisedFinding(d.getFileName().toString()).equals(Sample.COARSE_PNEUMONIA);
            if (label == null && !coarse) {
                problems.add(new Problem(d, "folder name is not one of the labels (" + labelList() + ", or pneumonia for type unknown); skipped"));
                continue;
            }
            any = true;
            for (Path img : listFiles(d)) {
                if (!IMAGE_EXT.contains(ext(img))) {
                    problems.add(new Problem(img, "not an image file name (expected .png, .jpg, .jpeg or .dcm)"));
                    continue;
                }
                String file = img.getFileName().toString();
                samples.add(new Sample(file, img, null, null, label, coarse ? Sample.COARSE_PNEUMONIA : null,
                        PatientIds.fromFileName(file), null, source, null));
            }
        }
        if (!any) {
            throw new BadInputException("not a dataset: no images/ folder (V7/Darwin layout) and no class folders named "
                    + labelList() + " or pneumonia");
        }
        return new Dataset(root, Layout.CLASS_FOLDERS, samples, problems, List.of(), Map.of());
    }

    private static String labelList() {
        StringBuilder sb = new StringBuilder();
        for (Label l : Label.values()) sb.append(sb.length() == 0 ? "" : ", ").append(l.id());
        return sb.toString();
    }
}
