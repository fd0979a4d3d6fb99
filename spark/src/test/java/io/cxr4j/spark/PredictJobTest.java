package io.cxr4j.spark;

import io.cxr4j.analysis.AnalysisOptions;
import io.cxr4j.analysis.Outcome;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.analysis.XrayInput;
import io.cxr4j.model.ModelCard;
import io.cxr4j.synth.Negatives;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark job on local[2] over a small folder: 20 real films (the first of v7-cxr images/) with a truncated JPEG and a
 * text file named like a DICOM among them, scored against {@link XrayAnalyzer} called directly on the
 * same files (what {@code cxr predict} does for a folder without annotations).
 */
class PredictJobTest {
    static SparkSession spark;
    static Path films;
    static List<String> classes;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Path mini = SparkTestData.v7().resolve("images");
        films = Files.createDirectories(tmp.resolve("films"));
        List<Path> src;
        try (Stream<Path> s = Files.list(mini)) {
            src = s.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png")).sorted().limit(20).toList();
        }
        assertEquals(20, src.size());
        for (Path p : src) Files.copy(p, films.resolve(p.getFileName()));
        // bad films whose names sort among the good ones, so they share partitions and batches with them
        byte[] jpg = Files.readAllBytes(src.get(3));
        Files.write(films.resolve(src.get(3).getFileName().toString().replace(".jpg", "_cut.jpg")), Arrays.copyOf(jpg, jpg.length / 3));
        Files.writeString(films.resolve(src.get(8).getFileName().toString() + "_notes.dcm"), "not an image\n");
        Files.writeString(films.resolve("README.txt"), "skipped: not an image extension\n");
        classes = ModelCard.read(SparkTestData.classifier()).classes();
        spark = SparkSession.builder().master("local[2]").appName("cxr4j-spark-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    private static PredictJob.Spec spec(List<String> inputs, Path out, String format, boolean resume) {
        return spec(SparkTestData.classifier(), inputs, out, format, resume);
    }

    private static PredictJob.Spec spec(Path classifier, List<String> inputs, Path out, String format, boolean resume) {
        return new PredictJob.Spec(classifier.toString(), SparkTestData.segmenter().toString(),
                true, SparkTestData.inputCheck().toString(), inputs,
                out.toString(), format, resume, 0, 4, false);
    }

    private static Map<String, Row> byName(List<Row> rows) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : rows) assertNull(m.put(FilmScorer.name(r.getString(r.fieldIndex("file"))), r), "one row per film");
        return m;
    }

    @Test
    void sameLabelsAndProbabilitiesAsTheAnalyzerWithBadFilmsAsRows() throws Exception {
        Path out = tmp.resolve("out-parquet");
        int loadedBefore = Analyzers.loadedCount();
        PredictJob.Summary s = PredictJob.run(spark, spec(List.of(films.toString()), out, "parquet", false), classes, "classifier");
        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(22, rows.size(), "20 films + the cut JPEG + the text file; README.txt is not listed");
        assertEquals(22, s.scored());
        Map<String, Row> got = byName(rows);

        List<Path> files;
        try (Stream<Path> l = Files.list(films)) {
            files = l.filter(p -> !p.getFileName().toString().equals("README.txt")).sorted().toList();
        }
        // the job runs the input check (films that are not frontal chest X-rays refused): the same options here
        AnalysisOptions checked = AnalysisOptions.defaults().withInputCheck(true).withCheckDir(SparkTestData.inputCheck());
        try (XrayAnalyzer a = XrayAnalyzer.load(SparkTestData.classifier(), SparkTestData.segmenter(), checked)) {
            assertNotNull(a.inputCheck());
            List<Outcome> want = a.analyzeAll(files.stream().map(XrayInput::of).toList(), 2);
            int ok = 0;
            for (Outcome o : want) {
                Row r = got.get(o.input().name());
                assertNotNull(r, o.input().name());
                assertEquals(o.status(), r.getString(r.fieldIndex("status")), o.input().name());
                assertEquals("classifier", r.getString(r.fieldIndex("model_id")));
                if (!o.ok()) {
                    assertEquals(o.reason(), r.getString(r.fieldIndex("reason")));
                    assertTrue(r.isNullAt(r.fieldIndex("predicted")));
                    continue;
                }
                ok++;
                assertEquals(o.analysis().predicted(), r.getString(r.fieldIndex("predicted")), o.input().name());
                assertEquals(o.analysis().lungMaskSource(), r.getString(r.fieldIndex("lung_mask")));
                assertEquals("predicted", r.getString(r.fieldIndex("lung_mask")));
                assertEquals(o.analysis().confidence(), r.getDouble(r.fieldIndex("confidence")), 1e-4);
                for (int c = 0; c < classes.size(); c++) {
                    assertEquals(o.analysis().probabilities()[c], r.getDouble(r.fieldIndex("p_" + classes.get(c))), 1e-4,
                            o.input().name() + " p_" + classes.get(c));
                }
            }
            assertEquals(20, ok);
            assertEquals(20, s.ok());
        }
        Row cut = got.entrySet().stream().filter(e -> e.getKey().endsWith("_cut.jpg")).findFirst().orElseThrow().getValue();
        assertEquals("error", cut.getString(cut.fieldIndex("status")));
        Row text = got.entrySet().stream().filter(e -> e.getKey().endsWith("_notes.dcm")).findFirst().orElseThrow().getValue();
        assertEquals("error", text.getString(text.fieldIndex("status")));
        assertFalse(text.getString(text.fieldIndex("reason")).isBlank());
        assertEquals(2, s.error());
        // models loaded once per task slot of the JVM, not per task (this run alone had up to 8 tasks)
        // (other tests in this JVM may have loaded some already: count this run's loads)
        assertTrue(Analyzers.loadedCount() - loadedBefore <= 2, "analyzers loaded: " + (Analyzers.loadedCount() - loadedBefore));

        JobFailure otherFormat = assertThrows(JobFailure.class,
                () -> PredictJob.run(spark, spec(List.of(films.toString()), out, "csv", true), classes, "classifier"));
        assertTrue(otherFormat.getMessage().contains("--format parquet"), otherFormat.getMessage());

        JobFailure again = assertThrows(JobFailure.class,
                () -> PredictJob.run(spark, spec(List.of(films.toString()), out, "parquet", false), classes, "classifier"));
        assertTrue(again.getMessage().contains("already exists") && again.getMessage().contains("--resume"), again.getMessage());
    }

    @Test
    void resumeScoresOnlyTheFilmsNotYetInTheCsvOutput() throws Exception {
        // the first run names 5 films through a table (absolute paths, no scheme); the folder run must
        // recognise them as the same films
        List<String> first5;
        try (Stream<Path> l = Files.list(films)) {
            first5 = l.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(5).map(Path::toString).toList();
        }
        Path table = tmp.resolve("first5.csv");
        Files.writeString(table, "path\n" + String.join("\n", first5) + "\n");
        Path out = tmp.resolve("out-csv");
        PredictJob.Summary first = PredictJob.run(spark, spec(List.of(table.toString()), out, "csv", false), classes, "classifier");
        assertEquals(5, first.scored());
        try (Stream<Path> l = Files.list(out)) {
            Path csv = l.filter(p -> p.getFileName().toString().startsWith("part-") && p.toString().endsWith(".csv"))
                    .filter(p -> { try { return Files.size(p) > 0; } catch (Exception e) { return false; } }).findFirst().orElseThrow();
            String header = Files.readAllLines(csv, StandardCharsets.UTF_8).get(0);
            assertTrue(header.startsWith("file,status,reason,predicted,confidence,p_"), header);
            assertTrue(header.endsWith("lung_mask,model_id"), header);
        }
        PredictJob.Summary second = PredictJob.run(spark, spec(List.of(films.toString()), out, "csv", true), classes, "classifier");
        assertEquals(5, second.alreadyDone());
        assertEquals(17, second.scored(), "22 films in all, 5 already scored");
        List<Row> rows = PredictJob.reader(spark, "csv", classes).load(out.toString()).collectAsList();
        assertEquals(22, rows.size());
        byName(rows); // no film twice
        PredictJob.Summary third = PredictJob.run(spark, spec(List.of(films.toString()), out, "csv", true), classes, "classifier");
        assertEquals(0, third.scored());
        // a glob takes every file it matches, whatever its extension: only README.txt is new, as an error row
        PredictJob.Summary glob = PredictJob.run(spark, spec(List.of(films + "/*"), out, "csv", true), classes, "classifier");
        assertEquals(1, glob.scored());
        assertEquals(1, glob.error());
        assertEquals(23, PredictJob.reader(spark, "csv", classes).load(out.toString()).count());
    }

    @Test
    void anEmptyFolderGivesAnEmptyOutputAndAMissingInputFailsTheJob() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "no films here\n");
        Path out = tmp.resolve("out-empty");
        PredictJob.Summary s = PredictJob.run(spark, spec(List.of(empty.toString()), out, "parquet", false), classes, "classifier");
        assertEquals(0, s.scored());
        assertEquals(0, spark.read().parquet(out.toString()).count());
        assertEquals(ResultSchema.of(classes).fieldNames().length, spark.read().parquet(out.toString()).columns().length);

        JobFailure missing = assertThrows(JobFailure.class, () -> PredictJob.run(spark,
                spec(List.of(tmp.resolve("nowhere").toString()), tmp.resolve("out-missing"), "parquet", false), classes, "classifier"));
        assertTrue(missing.getMessage().endsWith("no such file or folder"), missing.getMessage());
        assertFalse(Files.exists(tmp.resolve("out-missing")));
    }

    @Test
    void aTableWithAPathColumnIsScoredLikeTheFolder() throws Exception {
        Path table = tmp.resolve("list.csv");
        List<String> names;
        try (Stream<Path> l = Files.list(films)) {
            names = l.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jpg")).sorted().limit(3).toList();
        }
        // relative paths are taken from the table's folder; a film that is not there is an error row
        Files.writeString(table, "path,label\nfilms/" + names.get(0) + ",x\n" + films.resolve(names.get(1)) + ",y\nfilms/gone.jpg,z\n");
        Path out = tmp.resolve("out-table");
        PredictJob.Summary s = PredictJob.run(spark, spec(List.of(table.toString()), out, "parquet", false), classes, "classifier");
        assertEquals(2, s.ok());
        assertEquals(1, s.error());
        Map<String, Row> got = byName(spark.read().parquet(out.toString()).collectAsList());
        assertEquals("ok", got.get(names.get(0)).getString(1));
        assertTrue(got.get("gone.jpg").getString(2).startsWith("cannot read the file"), got.get("gone.jpg").getString(2));

        Path noPath = tmp.resolve("nopath.csv");
        Files.writeString(noPath, "file\nx.jpg\n");
        JobFailure f = assertThrows(JobFailure.class, () -> PredictJob.run(spark, spec(List.of(noPath.toString()), tmp.resolve("o2"), "parquet", false), classes, "classifier"));
        assertTrue(f.getMessage().contains("no path column"), f.getMessage());
    }

    @Test
    void filmsInADatasetImagesFolderUseTheirAnnotationAsCxrPredictDoes() throws Exception {
        Path v7 = SparkTestData.v7();
        Path images = Files.createDirectories(tmp.resolve("ds").resolve("images"));
        Path anns = Files.createDirectories(tmp.resolve("ds").resolve("annotations"));
        List<Path> src;
        try (Stream<Path> l = Files.list(v7.resolve("images"))) {
            src = l.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(3).toList();
        }
        for (Path p : src) {
            Files.copy(p, images.resolve(p.getFileName()));
            String stem = io.cxr4j.data.PatientIds.stem(p.getFileName().toString());
            Files.copy(v7.resolve("annotations").resolve(stem + ".json"), anns.resolve(stem + ".json"));
        }
        Path out = tmp.resolve("out-ds");
        // the lung-masked classifier: the shipped one reads the whole film and uses no annotation
        PredictJob.Summary s = PredictJob.run(spark, spec(SparkTestData.lungsOnlyClassifier(), List.of(images.toString()), out, "parquet", false),
                classes, "classifier-lungs-only");
        assertEquals(3, s.ok());
        Map<String, Row> got = byName(spark.read().parquet(out.toString()).collectAsList());
        AnalysisOptions checked = AnalysisOptions.defaults().withInputCheck(true).withCheckDir(SparkTestData.inputCheck());
        try (XrayAnalyzer a = XrayAnalyzer.load(SparkTestData.lungsOnlyClassifier(), SparkTestData.segmenter(), checked)) {
            for (Path p : src) {
                String stem = io.cxr4j.data.PatientIds.stem(p.getFileName().toString());
                var want = a.analyze(XrayInput.of(images.resolve(p.getFileName())).withAnnotation(anns.resolve(stem + ".json")));
                Row r = got.get(p.getFileName().toString());
                assertEquals("annotation", r.getString(r.fieldIndex("lung_mask")));
                assertEquals(want.predicted(), r.getString(r.fieldIndex("predicted")));
                for (int c = 0; c < classes.size(); c++) {
                    assertEquals(want.probabilities()[c], r.getDouble(r.fieldIndex("p_" + classes.get(c))), 1e-4);
                }
            }
        }
    }

    @Test
    void aPictureThatIsNotAFilmIsRefusedByTheInputCheckAndScoredWithItOff() throws Exception {
        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        List<Path> src;
        try (Stream<Path> l = Files.list(films)) {
            src = l.filter(p -> p.toString().endsWith(".jpg") && !p.toString().endsWith("_cut.jpg")).sorted().limit(2).toList();
        }
        for (Path p : src) Files.copy(p, mixed.resolve(p.getFileName()));
        // seed 2: a landscape in which the segmenter finds lung-like regions, so that with the check off it gets a
        // label (seed 1's gives "lungs not found (empty lung mask)", an error row, with the check off)
        assertTrue(ImageIO.write(Negatives.colour("landscape", 640, 480, 2), "png", mixed.resolve("landscape.png").toFile()));

        Path on = tmp.resolve("out-check-on");
        PredictJob.Summary s = PredictJob.run(spark, spec(List.of(mixed.toString()), on, "parquet", false), classes, "classifier");
        assertEquals(2, s.ok());
        assertEquals(1, s.refused());
        Row landscape = byName(spark.read().parquet(on.toString()).collectAsList()).get("landscape.png");
        assertEquals("refused", landscape.getString(landscape.fieldIndex("status")));
        assertTrue(landscape.getString(landscape.fieldIndex("reason")).startsWith("not a frontal chest X-ray"), landscape.getString(landscape.fieldIndex("reason")));
        assertTrue(landscape.isNullAt(landscape.fieldIndex("predicted")));

        // the same JVM, so the analyzers already loaded with the check on must not be reused with it off
        Path off = tmp.resolve("out-check-off");
        var noCheck = new PredictJob.Spec(SparkTestData.classifier().toString(), SparkTestData.segmenter().toString(), false, null,
                List.of(mixed.toString()), off.toString(), "parquet", false, 0, 4, false);
        PredictJob.Summary t = PredictJob.run(spark, noCheck, classes, "classifier");
        assertEquals(3, t.ok());
        Row scored = byName(spark.read().parquet(off.toString()).collectAsList()).get("landscape.png");
        assertEquals("ok", scored.getString(scored.fieldIndex("status")));
        try (XrayAnalyzer a = XrayAnalyzer.load(SparkTestData.classifier(), SparkTestData.segmenter(), AnalysisOptions.defaults().withInputCheck(false))) {
            var want = a.analyze(XrayInput.of(mixed.resolve("landscape.png")));
            assertEquals(want.predicted(), scored.getString(scored.fieldIndex("predicted")));
            assertEquals(want.confidence(), scored.getDouble(scored.fieldIndex("confidence")), 1e-4);
        }
    }

    @Test
    void anInputCheckFolderMissingOnTheExecutorsFailsTheJobInsteadOfScoringWithoutIt() throws Exception {
        Path one = Files.createDirectories(tmp.resolve("one"));
        try (Stream<Path> l = Files.list(films)) {
            Path f = l.filter(p -> p.toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
            Files.copy(f, one.resolve(f.getFileName()));
        }
        var notShipped = new PredictJob.Spec(SparkTestData.classifier().toString(), SparkTestData.segmenter().toString(), true,
                tmp.resolve("not-shipped").resolve("missing-check").toString(), List.of(one.toString()), tmp.resolve("out-nocheck").toString(),
                "parquet", false, 0, 4, false);
        // Spark throws its SparkException (checked) undeclared: Main turns it into one line naming the folder
        Exception e = assertThrows(Exception.class, () -> PredictJob.run(spark, notShipped, classes, "classifier"));
        String m = Main.asJobFailure(e).getMessage();
        assertFalse(m.contains("Exception"), m);
        assertTrue(m.startsWith("cannot load the models on an executor: input check folder") && m.contains("missing-check")
                && m.contains("not found on this executor"), m);
    }

    @Test
    void aMissingModelIsOneLineAndExitTwoBeforeSparkStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"predict", "--master", "local[1]", "--model", tmp.resolve("no-model").toString(),
                "--segmenter", SparkTestData.segmenter().toString(), films.toString(), "--out", tmp.resolve("o3").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        String e = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, code);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("cxr-spark: ") && e.contains("no-model") && e.contains("not found"), e);
        assertFalse(e.contains("Exception"), e);
    }
}
