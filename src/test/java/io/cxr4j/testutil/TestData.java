package io.cxr4j.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Locates the shared real dataset (../shared/datasets/v7-cxr, read-only) for tests that use it. */
public final class TestData {
    private TestData() {}

    public static Path root() {
        Path p = Path.of(System.getProperty("cxr.data", "../shared/datasets/v7-cxr")).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(p.resolve("images")), "shared dataset not present at " + p);
        return p;
    }

    public static Path mini() { return root().resolve("mini"); }

    public static Path fullres() { return root().resolve("fullres"); }
}
