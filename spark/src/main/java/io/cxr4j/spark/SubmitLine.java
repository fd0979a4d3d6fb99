package io.cxr4j.spark;

import io.cxr4j.check.CheckCard;
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
 * For a cluster master: packs each model folder (classifier, segmenter, input check) into a zip next to the
 * job's jar (model.json, its parameter files and provenance) and builds the {@code spark-submit} line that ships them with
 * {@code --archives ZIP#NAME}, so every executor finds them by folder name ({@link ModelFolders}).
 */
final class SubmitLine {
    private SubmitLine() {}

    /** The job's own arguments, as they go after the jar on the spark-submit line. */
    static String line(String master, Path jar, Path model, Path segmenter, Path inputCheck, List<String> jobArgs) throws JobFailure {
        Path ship = jar.toAbsolutePath().getParent().resolve("ship");
        List<String> archives = new ArrayList<>();
        List<Path> names = new ArrayList<>();
        archives.add(ship(model, modelFiles(model), ship, names));
        if (segmenter != null) archives.add(ship(segmenter, modelFiles(segmenter), ship, names));
        if (inputCheck != null) archives.add(ship(inputCheck, checkFiles(inputCheck), ship, names));
        List<String> w = new ArrayList<>(List.of("spark-submit", "--master", master, "--deploy-mode", "client",
                "--class", Main.class.getName(),
                "--driver-memory", "2g",
                "--executor-memory", "3g",
                "--conf", "spark.executor.memoryOverhead=2g",
                "--conf", "spark.task.cpus=1",
                // glibc keeps libtorch's freed buffers instead of returning them to the kernel per call (docs/benchmarks.md)
                "--conf", "spark.executorEnv.MALLOC_MMAP_THRESHOLD_=33554432",
                "--conf", "spark.executorEnv.MALLOC_TRIM_THRESHOLD_=67108864",
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

    /** {@code ZIP#NAME} for one folder; the executors find it by NAME, so two folders cannot share one. */
    private static String ship(Path dir, List<String> files, Path ship, List<Path> names) throws JobFailure {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        if (names.contains(name)) {
            throw new JobFailure(dir + ": the classifier, segmenter and input-check folders must have different names to be shipped together");
        }
        names.add(name);
        return zip(dir, files, ship) + "#" + name;
    }

    /** A classifier's or segmenter's files: model.json, its parameter files and provenance. */
    private static List<String> modelFiles(Path dir) throws JobFailure {
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
        return files;
    }

    /** The input check's files: its model.json and parameter file. */
    private static List<String> checkFiles(Path dir) throws JobFailure {
        try {
            return List.of(CheckCard.FILE, CheckCard.read(dir).params());
        } catch (BadInputException e) {
            throw new JobFailure(dir + ": input check: " + e.getMessage(), e);
        }
    }

    private static Path zip(Path dir, List<String> files, Path ship) throws JobFailure {
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
