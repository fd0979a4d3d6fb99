package io.cxr4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.testutil.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Collections without annotations (another hospital's films): evaluate --split all reads class folders and
 * images/ + metadata.csv, masks come from the segmenter, the per-source table leads, and bad items are
 * named while the rest runs. Uses the shipped classifier and segmenter; the collections are made here from
 * a few of the shared mini/ and adult-cxr films.
 */
class CollectionsCliTest {
    /** A lung-masked classifier: these tests are about where the lung masks come from. */
    private static final String LUNGS_ONLY = "models/classifier-lungs-only";

    @TempDir
    Path dir;

    /** The first {@code n} mini images whose metadata label is {@code label}. */
    static List<Path> miniImages(String label, int n) throws Exception {
        Path mini = TestData.mini();
        return Files.readAllLines(mini.resolve("metadata.csv")).stream().skip(1).map(l -> l.split(","))
                .filter(r -> r[1].equals(label)).limit(n).map(r -> mini.resolve("images").resolve(r[0])).toList();
    }

    /** A collection in {@code dir/adult-part} (images/ + metadata.csv) of the adult-cxr films whose metadata row {@code pick} accepts. */
    Path adultPart(java.util.function.Predicate<String[]> pick) throws Exception {
        Path adult = TestData.adult();
        Path coll = dir.resolve("adult-part");
        Files.createDirectories(coll.resolve("images"));
        List<String> rows = Files.readAllLines(adult.resolve("metadata.csv"));
        StringBuilder meta = new StringBuilder(rows.get(0)).append('\n');
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            if (!pick.test(f)) continue;
            Files.copy(adult.resolve("images").resolve(f[0]), coll.resolve("images").resolve(f[0]));
            meta.append(row).append('\n');
        }
        Files.writeString(coll.resolve("metadata.csv"), meta);
        return coll;
    }

    @Test
    void evaluateAClassFolderCollectionWithoutAnnotations() throws Exception {
        Path coll = dir.resolve("hospital");
        for (String label : List.of("healthy", "covid19", "bacterial_pneumonia")) {
            Files.createDirectories(coll.resolve(label));
            for (Path p : miniImages(label, 3)) Files.copy(p, coll.resolve(label).resolve(p.getFileName()));
        }
        // coarse label folder, an unreadable film, and a folder that is no label
        Files.createDirectories(coll.resolve("pneumonia"));
        for (Path p : miniImages("viral_pneumonia", 2)) Files.copy(p, coll.resolve("pneumonia").resolve(p.getFileName()));
        Files.writeString(coll.resolve("healthy").resolve("broken.png"), "not a png");
        Files.createDirectories(coll.resolve("tuberculosis"));
        Path out = dir.resolve("eval");
        Path cache = dir.resolve("cache");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", LUNGS_ONLY, coll.toString(), "--split", "all", "--out", out.toString(), "--mask-cache", cache.toString());
        assertEquals(1, r.exit(), "some items skipped: " + r.err());
        assertTrue(r.err().contains("broken.png: "), r.err());
        assertTrue(r.err().contains("tuberculosis: folder name is not one of the labels"), r.err());
        assertFalse(r.err().matches("(?s).*\\w+(Exception|Error)\\b.*"), r.err());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(9, m.path("n").asInt(), "four-class films");
        JsonNode src = m.path("per_source").path("hospital");
        assertEquals(11, src.path("n").asInt(), "the coarse films count in the source's row");
        assertEquals(3, src.path("covid19").asInt());
        assertEquals(8, src.path("non_covid").asInt());
        assertTrue(m.path("per_source").has("all"));
        assertEquals(2, m.path("coarse_pneumonia").path("n").asInt());
        assertEquals(11, m.path("lung_masks_used").path("predicted").asInt());
        List<String> csv = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals(12, csv.size());
        assertTrue(csv.get(0).endsWith(",source,population,lung_mask"), csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.contains(",pneumonia,")), "coarse truth written as pneumonia");
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.indexOf("By source") < html.indexOf("Four-class accuracy"), "the report leads with the per-source table");
        assertTrue(r.out().contains("non-COVID called COVID"), r.out());
        // the masks were cached: a second run segments nothing
        CliRunner.Result again = CliRunner.run("evaluate", "--model", LUNGS_ONLY, coll.toString(), "--split", "all", "--out", dir.resolve("eval2").toString(),
                "--mask-cache", cache.toString());
        assertEquals(1, again.exit());
        JsonNode m2 = new ObjectMapper().readTree(dir.resolve("eval2").resolve("metrics.json").toFile());
        assertEquals(0, m2.path("mask_cache").path("segmented").asInt());
        assertEquals(11, m2.path("mask_cache").path("hits").asInt());
        assertEquals(m.path("per_source").toString(), m2.path("per_source").toString(), "same figures from cached masks");
    }

    @Test
    void evaluateImagesAndMetadataWithBadRowsAndSeveralDatasets() throws Exception {
        Path adult = TestData.adult();
        List<String> rows = Files.readAllLines(adult.resolve("metadata.csv"));
        int[] taken = new int[3];
        Path coll = adultPart(f -> {
            String key = f[4] + "/" + f[1];
            int k = key.equals("nih/healthy") ? 0 : key.equals("nih/pneumonia") ? 1 : key.equals("cxnet/covid19") ? 2 : -1;
            return k >= 0 && taken[k]++ < 2;
        });
        StringBuilder meta = new StringBuilder(Files.readString(coll.resolve("metadata.csv")));
        meta.append("ghost.jpg,healthy,p-ghost,PA,nih,,,,,,x\n");         // a row without its image
        String first = rows.get(1).split(",")[0];
        Files.copy(adult.resolve("images").resolve(first), coll.resolve("images").resolve("odd-" + first));
        meta.append("odd-").append(first).append(",sarcoidosis,p-odd,PA,nih,,,,,,x\n"); // a label outside the four and 'pneumonia'
        Files.writeString(coll.resolve("metadata.csv"), meta);
        Path out = dir.resolve("eval");
        CliRunner.Result r = CliRunner.run("evaluate", "--model", LUNGS_ONLY, coll.toString(), TestData.mini().toString(), "--split", "all", "--out", out.toString(),
                "--mask-cache", dir.resolve("cache").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("lists ghost.jpg but images/ghost.jpg is missing"), r.err());
        assertTrue(r.err().contains("odd-" + first + ": unknown label 'sarcoidosis'"), r.err());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode ps = m.path("per_source");
        assertEquals(4, ps.path("nih").path("n").asInt(), ps.toString());
        assertTrue(ps.has("kermany") && ps.has("ieee8023"), "the second dataset is evaluated too");
        assertEquals("adult", ps.path("nih").path("population").asText());
        assertEquals("child", ps.path("kermany").path("population").asText());
        assertTrue(ps.has("adult films (all sources)") && ps.has("child films (all sources)"));
        assertEquals(48 + 6, ps.path("all").path("n").asInt());
        assertEquals(6, m.path("lung_masks_used").path("predicted").asInt());
        assertEquals(48, m.path("lung_masks_used").path("annotation").asInt());
        // inspect reads both too, and long source names do not run together
        CliRunner.Result ins = CliRunner.run("inspect", coll.toString(), TestData.mini().toString());
        assertEquals(1, ins.exit(), ins.err());
        String header = ins.out().lines().filter(l -> l.startsWith("label")).findFirst().orElseThrow();
        assertTrue(header.matches(".*\\bieee8023\\s+kermany\\s+nih\\s+total.*"), header);
    }

    @Test
    void trainOnTwoCollectionsRecordsTheSplitMasksAndPopulations() throws Exception {
        int[] n = new int[1];
        Path coll = adultPart(f -> (f[4].equals("nih") || f[4].equals("hannover")) && n[0]++ % 9 == 0);
        Path model = dir.resolve("model");
        CliRunner.Result r = CliRunner.run("train", TestData.mini().toString(), coll.toString(), "--out", model.toString(), "--epochs", "1",
                "--lungs-only", "--image-size", "64", "--width", "16", "--blocks", "1,1", "--batch-size", "8", "--style-augment", "0.5",
                "--mask-cache", dir.resolve("cache").toString());
        assertEquals(0, r.exit(), "ERR " + r.err() + " OUT " + r.out());
        List<String> split = Files.readAllLines(model.resolve("split.csv"));
        assertEquals("file,label,patient_id,split,source,mask", split.get(1));
        assertTrue(split.stream().anyMatch(l -> l.contains(",pneumonia,") && l.endsWith(",predicted")), "coarse films, predicted masks");
        assertTrue(split.stream().anyMatch(l -> l.contains(",kermany,") && l.endsWith(",annotation")));
        for (String src : List.of("nih", "hannover", "kermany", "ieee8023")) {
            for (String part : List.of("train", "val", "test")) {
                assertTrue(split.stream().anyMatch(l -> l.contains("," + part + "," + src + ",")), src + " in " + part);
            }
        }
        JsonNode card = new ObjectMapper().readTree(model.resolve("model.json").toFile());
        JsonNode t = card.path("trained_on");
        assertTrue(t.path("sources").has("nih") && t.path("sources").has("kermany"), t.toString());
        assertTrue(t.path("populations").has("adult") && t.path("populations").has("child"));
        assertTrue(t.path("limits").toString().contains("bacterial vs viral pneumonia in adult films"), t.toString());
        // predict says what the model cannot tell
        Path film;
        try (Stream<Path> s = Files.list(coll.resolve("images"))) {
            film = s.findFirst().orElseThrow();
        }
        CliRunner.Result p = CliRunner.run("predict", "--model", model.toString(), film.toString(), "--format", "json");
        assertEquals(0, p.exit(), p.err());
        JsonNode doc = new ObjectMapper().readTree(p.out());
        assertTrue(doc.has("trained_on"));
        assertTrue(doc.path("predictions").get(0).has("pneumonia_bacterial_or_viral"));
    }
}
