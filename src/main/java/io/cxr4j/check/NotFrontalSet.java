package io.cxr4j.check;

import io.cxr4j.data.Csv;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A collection of real images that are not frontal films (../shared/datasets/not-frontal: {@code images/} and
 * {@code metadata.csv} with {@code file,kind,patient_id,...}, kind {@code lateral_cxr} or {@code ct_slice}),
 * split by patient: a fixed hash of the patient id puts about {@code trainShare} of the patients in
 * training, the rest held out for the check's figures.
 */
public final class NotFrontalSet {
    public record Item(Path file, CheckKind kind, String patient, boolean train) {}

    private NotFrontalSet() {}

    public static List<Item> read(Path dir, double trainShare) throws BadInputException {
        Path meta = dir.resolve("metadata.csv");
        List<List<String>> rows;
        try (var in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            rows = Csv.read(in);
        } catch (IOException e) {
            throw new BadInputException(meta + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (rows.isEmpty()) throw new BadInputException(meta + ": empty");
        List<String> head = rows.get(0);
        int fi = head.indexOf("file"), ki = head.indexOf("kind"), pi = head.indexOf("patient_id");
        if (fi < 0 || ki < 0 || pi < 0) throw new BadInputException(meta + ": needs columns file, kind, patient_id");
        List<Item> out = new ArrayList<>();
        for (List<String> c : rows.subList(1, rows.size())) {
            if (c.size() <= Math.max(fi, Math.max(ki, pi))) continue;
            CheckKind kind = switch (c.get(ki)) {
                case "lateral_cxr" -> CheckKind.LATERAL;
                case "ct_slice" -> CheckKind.CT;
                default -> CheckKind.OTHER;
            };
            String patient = c.get(pi);
            out.add(new Item(dir.resolve("images").resolve(c.get(fi)), kind, patient, inTrain(patient, trainShare)));
        }
        return out;
    }

    /** Whether a patient is in the training share (a fixed hash, the same on every machine). */
    static boolean inTrain(String patient, double share) {
        long h = 1125899906842597L;
        for (char ch : patient.toCharArray()) h = 31 * h + ch;
        h ^= (h >>> 29);
        h *= 0xBF58476D1CE4E5B9L;
        h ^= (h >>> 32);
        return Math.floorMod(h, 1000) < share * 1000;
    }
}
