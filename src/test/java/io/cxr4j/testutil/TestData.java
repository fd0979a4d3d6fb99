package io.cxr4j.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Locates the shared real datasets (../shared/datasets, read-only) for tests that use them. Where
 * {@code CXR4J_REQUIRE_DATA} is set (as .ci/run sets it), a missing dataset fails the test; otherwise
 * the test is skipped, and the first skip says so once on stderr.
 */
public final class TestData {
    private static volatile boolean told;

    private TestData() {}

    public static Path root() {
        return dataset(System.getProperty("cxr.data", "../shared/datasets/v7-cxr"));
    }

    /** The adult collection (images/ + metadata.csv, no masks). */
    public static Path adult() {
        return dataset(System.getProperty("cxr.adult", "../shared/datasets/adult-cxr"));
    }

    /** Lateral chest X-rays and CT slices. */
    public static Path notFrontal() {
        return dataset(System.getProperty("cxr.notfrontal", "../shared/datasets/not-frontal"));
    }

    public static Path mini() { return root().resolve("mini"); }

    public static Path fullres() { return root().resolve("fullres"); }

    /** True where tests that need ../shared must fail, not skip, when it is missing. */
    public static boolean required() {
        String v = System.getenv("CXR4J_REQUIRE_DATA");
        return v != null && !v.isBlank() && !v.equals("0");
    }

    private static Path dataset(String where) {
        Path p = Path.of(where).toAbsolutePath().normalize();
        boolean present = Files.isDirectory(p.resolve("images"));
        if (!present && required()) throw new AssertionError("shared dataset missing at " + p + " (CXR4J_REQUIRE_DATA is set)");
        if (!present && !told) {
            told = true;
            System.err.println("cxr4j tests: shared datasets not found at " + p.getParent()
                    + "; tests that need them are skipped (set CXR4J_REQUIRE_DATA=1 to make them fail instead)");
        }
        assumeTrue(present, "shared dataset not present at " + p);
        return p;
    }
}
