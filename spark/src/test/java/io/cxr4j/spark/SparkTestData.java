package io.cxr4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shared v7-cxr collection and the shipped models, seen from the spark module (../../shared,
 * ../models). As in the core's TestData: with CXR4J_REQUIRE_DATA set (.ci/run sets it) a missing dataset
 * fails the test; otherwise the test is skipped.
 */
final class SparkTestData {
    private SparkTestData() {}

    static Path v7() {
        Path p = Path.of(System.getProperty("cxr.data", "../../shared/datasets/v7-cxr")).toAbsolutePath().normalize();
        boolean present = Files.isDirectory(p.resolve("images"));
        String req = System.getenv("CXR4J_REQUIRE_DATA");
        if (!present && req != null && !req.isBlank() && !req.equals("0")) {
            throw new AssertionError("shared dataset missing at " + p + " (CXR4J_REQUIRE_DATA is set)");
        }
        assumeTrue(present, "shared dataset not present at " + p);
        return p;
    }

    static Path classifier() { return model("classifier"); }

    /** The lung-masked classifier (models/classifier-lungs-only): the one that uses a film's annotation. */
    static Path lungsOnlyClassifier() { return model("classifier-lungs-only"); }

    static Path segmenter() { return model("lung-segmenter"); }

    static Path inputCheck() { return model("input-check"); }

    private static Path model(String name) {
        Path p = Path.of("..", "models", name).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p.resolve("model.json"))) throw new AssertionError("shipped model missing at " + p);
        return p;
    }
}
