package io.cxr4j.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cluster master gets the spark-submit line, with the models packed to ship; nothing runs. */
class SubmitLineTest {
    @Test
    void aClusterMasterPrintsTheSparkSubmitLineAndPacksTheModels(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"predict", "--master", "yarn", "--model", SparkTestData.classifier().toString(),
                "--segmenter", SparkTestData.segmenter().toString(), "hdfs:///archive/films", "--out", "hdfs:///scores/run1"},
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String line = out.toString(StandardCharsets.UTF_8).strip().replace(" \\\n  ", " ");
        assertTrue(line.startsWith("spark-submit"), line);
        assertTrue(line.contains("--master yarn") && line.contains("--class io.cxr4j.spark.Main"), line);
        assertTrue(line.contains("predict") && line.contains("hdfs:///archive/films") && line.contains("--out hdfs:///scores/run1"), line);
        assertTrue(!line.contains("predict --master") && !line.matches("(?s).*predict.*--master.*"), "the job's own arguments have no --master: " + line);
        Matcher m = Pattern.compile("--archives (\\S+)").matcher(line);
        assertTrue(m.find(), line);
        List<String> names = new ArrayList<>();
        for (String a : m.group(1).split(",")) {
            String[] zipAndName = a.split("#");
            names.add(zipAndName[1]);
            try (ZipFile z = new ZipFile(zipAndName[0])) {
                assertTrue(z.getEntry("model.json") != null, a);
                assertTrue(z.size() >= 2, "model.json and a parameter file: " + a);
            }
        }
        assertEquals(List.of("classifier", "lung-segmenter"), names);
    }
}
