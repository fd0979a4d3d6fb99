package io.cxr4j.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.cli.Main;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.DatasetReader;
import io.cxr4j.image.ImageReader;
import io.cxr4j.synth.Phantoms;
import io.cxr4j.testutil.TestData;
import io.cxr4j.train.SegmenterTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmenterTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path data;
    static SegmenterTrainer.Outcome outcome;

    @BeforeAll
    static void trainOnPhantoms() throws Exception {
        data = dir.resolve("phantoms");
        Phantoms.writeDataset(data, 96, 128, 4);
        Dataset ds = DatasetReader.scan(data);
        model = dir.resolve("seg");
        SegmenterTrainer.Options d = SegmenterTrainer.Options.defaults();
        SegmenterTrainer.Options o = new SegmenterTrainer.Options(8, 64, 3, 16, 3, 8, 4e-3, 1e-4, 1, 0.2, 0.2, d.augment(), 0.98, null);
        outcome = new SegmenterTrainer(model, new PrintStream(new ByteArrayOutputStream()), 2).train(ds, o, false);
    }

    @Test
    void aShortRunLearnsTheLungs() throws Exception {
        assertTrue(outcome.valDice() > 0.8, "val Dice " + outcome.valDice());
        for (String f : new String[] {"model.json", "provenance.json", "segmenter.params", "split.csv", "training_curves.png"}) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f);
        }
        Path out = dir.resolve("eval");
        int rc = Main.execute("evaluate-segmenter", "--model", model.toString(), data.toString(), "--split", "all", "--out", out.toString());
        assertEquals(0, rc);
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(96, m.path("n").asInt());
        assertTrue(m.path("dice").path("mean").asDouble() > 0.8, m.toString());
        assertTrue(m.path("dice").has("p5") && m.path("iou").has("median"));
        assertEquals(97, Files.readAllLines(out.resolve("per_image.csv")).size());
        assertTrue(Files.readString(out.resolve("report.html")).contains("Worst cases"));
    }

    @Test
    void classifierUsesPredictedMasksForUnannotatedImagesAndEvaluationComparesBoth() throws Exception {
        Path cls = dir.resolve("cls");
        assertEquals(0, Main.execute("train", data.toString(), "--out", cls.toString(), "--epochs", "3", "--lungs-only", "--image-size", "64",
                "--width", "16", "--blocks", "1,1", "--batch-size", "8"));
        Path out = dir.resolve("eval-pred");
        assertEquals(0, Main.execute("evaluate", "--no-input-check", "--model", cls.toString(), data.toString(), "--split", "all", "--masks", "predicted",
                "--segmenter", model.toString(), "--out", out.toString()));
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("predicted", m.path("masks").asText());
        assertEquals(96, m.path("mask_comparison").path("annotation").path("n").asInt());
        assertEquals(96, m.path("mask_comparison").path("predicted").path("n").asInt());
        assertTrue(Files.readString(out.resolve("report.html")).contains("Masks from annotations vs predicted masks"));
        // an image with no annotation anywhere: predict falls back to the segmenter
        Path lone = dir.resolve("lone").resolve("x.png");
        Files.createDirectories(lone.getParent());
        Files.copy(Files.list(data.resolve("images")).filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow(), lone);
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(buf, true));
            assertEquals(0, Main.execute("predict", "--no-input-check", "--model", cls.toString(), "--segmenter", model.toString(), lone.toString(), "--format", "csv"));
        } finally {
            System.setOut(old);
        }
        assertTrue(buf.toString().lines().skip(1).findFirst().orElseThrow().contains(",predicted,"), buf.toString());
    }

    @Test
    void segmentWritesMasksAtTheOriginalSizeOfAFullResolutionImage() throws Exception {
        Path img = Files.list(TestData.fullres().resolve("images")).sorted().findFirst().orElseThrow();
        Path out = dir.resolve("segout");
        int rc = Main.execute("segment", "--no-input-check", "--model", model.toString(), img.toString(), "--out", out.toString(), "--overlay");
        assertEquals(0, rc);
        String stem = img.getFileName().toString().replaceAll("\\.[^.]+$", "");
        var mask = ImageReader.read(out.resolve("masks/" + stem + ".png"));
        var header = ImageReader.header(img);
        assertEquals(header.width(), mask.width());
        assertEquals(header.height(), mask.height());
        assertTrue(header.width() > 512 || header.height() > 512, "a full-resolution image");
        for (byte b : mask.pixels()) assertTrue(b == 0 || b == (byte) 255);
        assertTrue(Files.isRegularFile(out.resolve("overlays/" + stem + ".png")));
    }

    @Test
    void aWorkingSizeCopyOfABigFilmGivesTheSameMask() throws Exception {
        var small = ImageReader.read(Files.list(data.resolve("images")).filter(p -> p.toString().endsWith(".png")).sorted()
                .findFirst().orElseThrow());
        assertTrue(LungSegmenter.atWorkingSize(small) == small, "small images are used as they are");
        var big = io.cxr4j.image.ImageOps.resize(small, small.width() * 25, small.height() * 25); // 2400 x 3200
        var work = LungSegmenter.atWorkingSize(big);
        assertEquals(LungSegmenter.PREDICT_SIDE, Math.max(work.width(), work.height()));
        assertEquals((double) big.width() / big.height(), (double) work.width() / work.height(), 0.01);
        try (LungSegmenter seg = LungSegmenter.load(model)) {
            var full = seg.segment(big);
            var fromWork = io.cxr4j.mask.MaskOps.binarise(io.cxr4j.image.ImageOps.resize(seg.segment(work), big.width(), big.height()));
            assertTrue(io.cxr4j.mask.MaskOps.dice(full, fromWork) > 0.97, "Dice " + io.cxr4j.mask.MaskOps.dice(full, fromWork));
        }
    }

    @Test
    void anEnsembleOfSegmentersOnOneSplitAveragesAndOneOnAnotherSplitIsRefused() throws Exception {
        Path single = dir.resolve("eval-single"), ens = dir.resolve("ens"), evalEns = dir.resolve("eval-ens");
        assertEquals(0, Main.execute("evaluate-segmenter", "--model", model.toString(), data.toString(), "--split", "test", "--out", single.toString()));
        assertEquals(0, Main.execute("ensemble", "--out", ens.toString(), model.toString(), model.toString()));
        assertEquals(0, Main.execute("evaluate-segmenter", "--model", ens.toString(), data.toString(), "--split", "test", "--tta", "3",
                "--out", evalEns.toString()));
        JsonNode one = new ObjectMapper().readTree(single.resolve("metrics.json").toFile());
        JsonNode two = new ObjectMapper().readTree(evalEns.resolve("metrics.json").toFile());
        assertEquals(1, one.path("members").asInt());
        assertEquals(2, two.path("members").asInt());
        assertEquals(3, two.path("tta_views").asInt());
        assertEquals(one.path("n").asInt(), two.path("n").asInt());
        // two copies of one network with three small views: the same masks give nearly the same Dice
        assertEquals(one.path("dice").path("mean").asDouble(), two.path("dice").path("mean").asDouble(), 0.02);
        JsonNode prov = new ObjectMapper().readTree(ens.resolve("provenance.json").toFile());
        assertEquals(2, prov.path("members").size());
        assertTrue(prov.path("members").get(0).path("provenance").has("dataset_hash"));

        // the same split under another seed's comment (a run that kept the split with --split-from): accepted
        Path sameSplit = dir.resolve("same-split-other-seed");
        Files.createDirectories(sameSplit);
        for (String f : new String[] {"model.json", "segmenter.params", "provenance.json"}) Files.copy(model.resolve(f), sameSplit.resolve(f));
        String rows = Files.readString(model.resolve("split.csv"));
        assertTrue(rows.startsWith("#"), "the split names its seed in a comment");
        Files.writeString(sameSplit.resolve("split.csv"), rows.replaceFirst("^#[^\n]*", "# seed=99"));
        assertEquals(0, Main.execute("ensemble", "--out", dir.resolve("ens-same").toString(), model.toString(), sameSplit.toString()));

        Path other = dir.resolve("other-split");
        Files.createDirectories(other);
        for (String f : new String[] {"model.json", "segmenter.params", "provenance.json"}) Files.copy(model.resolve(f), other.resolve(f));
        Files.writeString(other.resolve("split.csv"), "# seed=1\nfile,label,patient_id,split\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int rc;
        try {
            System.setErr(new PrintStream(err, true));
            rc = io.cxr4j.cli.Main.execute("ensemble", "--out", dir.resolve("ens-bad").toString(), model.toString(), other.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, rc);
        assertTrue(err.toString().contains("another patient split"), err.toString());
        assertTrue(!Files.exists(dir.resolve("ens-bad").resolve("model.json")));
    }

    @Test
    void anInterruptedRunResumesAndAFolderWithAModelIsNotOverwritten() throws Exception {
        Dataset ds = DatasetReader.scan(data);
        Path run = dir.resolve("seg-resume");
        SegmenterTrainer.Options d = SegmenterTrainer.Options.defaults();
        SegmenterTrainer.Options o = new SegmenterTrainer.Options(1, 64, 3, 16, 3, 8, 4e-3, 1e-4, 1, 0.2, 0.2, d.augment(), 0.98, null);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        new SegmenterTrainer(run, quiet, 2).train(ds, o, false);
        SegmenterTrainer.Outcome more = new SegmenterTrainer(run, quiet, 2).train(ds, o.withEpochs(2), true);
        assertEquals(2, more.epochsRun());
        JsonNode state = new ObjectMapper().readTree(run.resolve("checkpoint").resolve("state.json").toFile());
        assertEquals(2, state.path("epoch").asInt());
        assertEquals(2, state.path("history").size(), "the first epoch's record is kept, not repeated");
        io.cxr4j.util.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(io.cxr4j.util.BadInputException.class,
                () -> new SegmenterTrainer(run, quiet, 2).train(ds, o, false));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        Path empty = dir.resolve("seg-nothing");
        e = org.junit.jupiter.api.Assertions.assertThrows(io.cxr4j.util.BadInputException.class,
                () -> new SegmenterTrainer(empty, quiet, 2).train(ds, o, true));
        assertTrue(e.getMessage().startsWith("nothing to resume"), e.getMessage());
    }
}
