package io.cxr4j.spark;

import io.cxr4j.model.ModelCard;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * For a cluster master: packs each model folder into a zip next to the job's jar (model.json, its
 * parameter files and provenance) and builds the {@code spark-submit} line that ships them with
 * {@code --archives ZIP#NAME}, so every executor finds them by folder name ({@link ModelFolders}).
 */
final class SubmitLine {
    private SubmitLine() {}

    /** The job's own arguments, as they go after the jar on the spark-submit line. */
    static String line(String master, Path jar, Path model, Path segmenter, List<String> jobArgs) throws JobFailure {
        Path ship = jar.toAbsolutePath().getParent().resolve("ship");
        List<String> archives = new ArrayList<>();
        archives.add(zip(model, ship) + "#" + model.toAbsolutePath().normalize().getFileName());
        if (segmenter != null) {
            if (segmenter.toAbsolutePath().normalize().getFileName().equals(model.toAbsolutePath().normalize().getFileName())) {
                throw new JobFailure(segmenter + ": the classifier and segmenter folders must have different names to be shipped together");
            }
            archives.add(zip(segmenter, ship) + "#" + segmenter.toAbsolutePath().normalize().getFileName());
        }
        List<String> w = new ArrayList<>(List.of("spark-submit", "--master", master, "--deploy-mode", "client",
                "--class", Main.class.getName(),
                "--driver-memory", "2g",
                "--executor-memory", "3g",
                "--conf", "spark.executor.memoryOverhead=2g",
                "--conf", "spark.task.cpus=1",
                "--conf", "spark.executor.extraJavaOptions=-Djava.awt.headless=true",
                "--archives", String.join(",", archives),
                jar.toAbsolutePath().toString(), "predict"));
        w.addAll(jobArgs);
        StringBuilder sb = new StringBuilder();
        for (String s : w) {
            if (sb.length() > 0) sb.append(s.startsWith("--") ? " \\\n  " : " ");
            sb.append(quote(s));
        }
        return sb.toString();
    }

    private static Path zip(Path dir, Path ship) throws JobFailure {
        ModelCard card;
        try {
            card = ModelCard.read(dir);
        } catch (BadInputException e) {
            throw new JobFailure(dir + ": " + e.getMessage(), e);
        }
        List<String> files = new ArrayList<>();
        files.add(ModelCard.FILE);
        files.addAll(card.members());
        if (Files.isRegularFile(dir.resolve("provenance.json"))) files.add("provenance.json");
        Path zip = ship.resolve(dir.toAbsolutePath().normalize().getFileName() + ".zip");
        try {
            Files.createDirectories(ship);
            AtomicFiles.write(zip, out -> {
                ZipOutputStream z = new ZipOutputStream(out); // not closed: AtomicFiles owns the stream
                for (String f : files) {
                    z.putNextEntry(new ZipEntry(f));
                    Files.copy(dir.resolve(f), z);
                    z.closeEntry();
                }
                z.finish();
            });
        } catch (IOException e) {
            throw new JobFailure(zip + ": cannot write the model archive: " + FilmScorer.oneLine(e), e);
        }
        return zip;
    }

    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=,#@%+\\-\\[\\]]+") && !s.contains("[") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
