package io.cxr4j.train;

import io.cxr4j.prep.Augment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.DatasetReader;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.model.Classifier;
import io.cxr4j.synth.Phantoms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short real training runs on synthetic phantoms (seconds each). */
class TrainingTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static Dataset ds;

    static TrainOptions small(int epochs) {
        return small(epochs, 1);
    }

    static TrainOptions small(int epochs, int members) {
        TrainOptions d = TrainOptions.defaults();
        return d.toBuilder().maskMode("masked").epochs(epochs).imageSize(64).seed(5).batchSize(16).learningRate(3e-3).weightDecay(0.01).warmupEpochs(1)
                .labelSmoothing(0.05).patience(50).valFraction(0.2).testFraction(0.2).width(16).blocks(List.of(1, 1, 1)).dropout(0.0)
                .augment(Augment.DEFAULT).emaDecay(0.99).members(members).sourceBalanceCap(5.0).build();
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        data = dir.resolve("phantoms");
        Phantoms.writeDataset(data, 160, 96, 21);
        ds = DatasetReader.scan(data);
        model = dir.resolve("model");
        new ClassifierTrainer(model, new PrintStream(new ByteArrayOutputStream()), 2, MaskSource.AUTO).train(ds, small(12), false);
    }

    @Test
    void aShortRunLearnsClearlyAboveChance() throws Exception {
        JsonNode val = new ObjectMapper().readTree(model.resolve("val_metrics.json").toFile());
        JsonNode test = new ObjectMapper().readTree(model.resolve("test_metrics.json").toFile());
        assertTrue(val.path("accuracy").asDouble() >= 0.6, "val accuracy " + val.path("accuracy"));
        assertTrue(test.path("accuracy").asDouble() >= 0.6, "test accuracy " + test.path("accuracy"));
        for (String f : List.of("model.json", "provenance.json", "split.csv", "training_curves.png", "classifier.params")) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f);
        }
        JsonNode prov = new ObjectMapper().readTree(model.resolve("provenance.json").toFile());
        assertTrue(prov.path("dataset_hash").asText().startsWith("sha256:"));
        assertEquals(5, prov.path("seed").asInt());
        assertTrue(prov.path("counts").path("train").path("covid19").asInt() > 0);
    }

    @Test
    void saveLoadRoundTripGivesIdenticalPredictions() throws Exception {
        Sample s = ds.labelled().get(0);
        GrayImage img = ImageReader.read(s.image());
        GrayImage mask = MaskSource.AUTO.lungMask(s, img.width(), img.height());
        float[] a, b;
        try (Classifier c = Classifier.load(model)) {
            a = c.predict(img, mask);
        }
        try (Classifier c = Classifier.load(model)) {
            b = c.predict(img, mask);
        }
        assertArrayEquals(a, b, 0f);
        assertEquals(1.0, a[0] + a[1] + a[2] + a[3], 1e-5);
    }

    @Test
    void anEnsembleKeepsEveryMember() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainOptions two = small(2, 2);
        Path full = dir.resolve("ensemble-full");
        new ClassifierTrainer(full, new PrintStream(log), 2, MaskSource.AUTO).train(ds, two, false);
        JsonNode card = new ObjectMapper().readTree(full.resolve("model.json").toFile());
        assertEquals(2, card.path("members").size());
        assertTrue(Files.isRegularFile(full.resolve("classifier-0.params")) && Files.isRegularFile(full.resolve("classifier-1.params")));
        assertTrue(log.toString().contains("ensemble member 2 of 2"), log.toString());
        try (Classifier c = Classifier.load(full)) {
            Sample s = ds.labelled().get(0);
            GrayImage img = ImageReader.read(s.image());
            float[] p = c.predict(img, MaskSource.AUTO.lungMask(s, img.width(), img.height()));
            assertEquals(1.0, p[0] + p[1] + p[2] + p[3], 1e-5);
        }
    }

    @Test
    void resumeContinuesFromTheLastEpoch() throws Exception {
        Path m = dir.resolve("resumable");
        ByteArrayOutputStream log1 = new ByteArrayOutputStream();
        new ClassifierTrainer(m, new PrintStream(log1), 2, MaskSource.AUTO).train(ds, small(2), false);
        // a finished run refuses to start again in the same folder without --resume
        assertThrows(io.cxr4j.util.BadInputException.class,
                () -> new ClassifierTrainer(m, new PrintStream(new ByteArrayOutputStream()), 2, MaskSource.AUTO).train(ds, small(2), false));
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        ClassifierTrainer.Outcome o = new ClassifierTrainer(m, new PrintStream(log2), 2, MaskSource.AUTO).train(ds, small(4), true);
        String text = log2.toString();
        assertTrue(text.contains("resuming after epoch 2"), text);
        assertTrue(text.contains("epoch 3/4") && text.contains("epoch 4/4"), text);
        assertTrue(!text.contains("epoch 1/4"), text);
        assertEquals(4, o.epochsRun());
        JsonNode state = new ObjectMapper().readTree(m.resolve("checkpoint/state.json").toFile());
        assertEquals(4, state.path("epoch").asInt());
        assertEquals(4, state.path("history").size());
    }

    @Test
    void mixedMasksTrainOnBothSourcesAndValidateOnEach() throws Exception {
        Path m = dir.resolve("mixed");
        io.cxr4j.prep.MaskProvider annotation = io.cxr4j.prep.MaskProvider.of(MaskSource.AUTO);
        // a second, different source: the annotation grown by 1 px (as a segmenter's looser outline would be)
        int[] calls = new int[1];
        io.cxr4j.prep.MaskProvider grown = (s, img) -> {
            synchronized (calls) { calls[0]++; }
            return io.cxr4j.mask.MaskOps.dilate(annotation.lungMask(s, img), 1);
        };
        ClassifierTrainer.Outcome o = new ClassifierTrainer(m, new PrintStream(new ByteArrayOutputStream()), 2,
                List.of(annotation, grown), "mixed: test").train(ds, small(12), false);
        assertEquals(ds.labelled().size(), calls[0], "every image also gets the second mask");
        JsonNode prov = new ObjectMapper().readTree(m.resolve("provenance.json").toFile());
        assertEquals("mixed: test", prov.path("masks").asText());
        int valImages = 0;
        for (String line : Files.readAllLines(m.resolve("split.csv"))) if (line.contains(",val,")) valImages++;
        JsonNode val = new ObjectMapper().readTree(m.resolve("val_metrics.json").toFile());
        assertTrue(valImages > 0);
        assertEquals(2 * valImages, val.path("n").asInt(), "each validation image is scored once per mask source");
        assertTrue(o.validation().accuracy() >= 0.5, "val accuracy " + o.validation().accuracy());
    }

    @Test
    void outlineJitterIsRecordedAndValidationSeesTheCropsPredictionSees() throws Exception {
        Path m = dir.resolve("jitter");
        TrainOptions d = small(6);
        TrainOptions o = d.toBuilder().augment(d.augment().withOutlineJitter(0.05)).members(1).build();
        ClassifierTrainer.Outcome out = new ClassifierTrainer(m, new PrintStream(new ByteArrayOutputStream()), 2, MaskSource.AUTO)
                .train(ds, o, false);
        assertEquals(0.05, new ObjectMapper().readTree(m.resolve("provenance.json").toFile()).path("options").path("augment")
                .path("outlineJitter").asDouble(), 1e-12);
        // training crops keep the lungs' surroundings, but validation uses prediction's crops: evaluate agrees with it
        Path ev = dir.resolve("jitter-eval");
        assertEquals(0, io.cxr4j.cli.Main.execute("evaluate", "--no-input-check", "--model", m.toString(), data.toString(), "--split", "val", "--out", ev.toString()));
        JsonNode metrics = new ObjectMapper().readTree(ev.resolve("metrics.json").toFile());
        assertEquals(out.validation().accuracy(), metrics.path("accuracy").asDouble(), 1.0 / metrics.path("n").asInt() + 1e-9);
    }
}
