package io.cxr4j.cli;

import io.cxr4j.synth.Phantoms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo-data", mixinStandardHelpOptions = true,
        description = {"Write a SYNTHETIC chest-X-ray-like phantom dataset in the V7/Darwin layout (images/, annotations/,",
                "masks/, metadata.csv): lungs as polygons, four classes with different learnable patterns.",
                "Not real X-rays; for demos and tests only."})
public final class DemoDataCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--n", defaultValue = "200", description = "Number of images (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--size", defaultValue = "256", description = "Image side in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (n < 1) throw new UserError("--n must be at least 1");
        if (size < 64 || size > 4096) throw new UserError("--size must be between 64 and 4096");
        if (Files.isDirectory(out.resolve("images")) && Files.list(out.resolve("images")).findAny().isPresent()) {
            throw new UserError(out + " already holds a dataset (images/ is not empty); choose an empty folder");
        }
        Phantoms.writeDataset(out, n, size, seed);
        System.out.println("wrote " + n + " SYNTHETIC phantom images to " + out.toAbsolutePath().normalize()
                + " (not real X-rays)");
        return ExitCodes.OK;
    }
}
