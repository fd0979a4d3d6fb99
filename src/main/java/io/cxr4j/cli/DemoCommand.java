package io.cxr4j.cli;

import io.cxr4j.synth.Phantoms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job end to end on an embedded default: make a SYNTHETIC phantom dataset (or use --data),",
                "inspect it, mask it, and print where the results are."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "cxr-demo", paramLabel = "DIR", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data", paramLabel = "DATASET", description = "Run on this dataset instead of synthetic phantoms.")
    Path data;

    @Option(names = "--n", defaultValue = "200", description = "Number of synthetic images (default ${DEFAULT-VALUE}).")
    int n;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        Path dataset = data;
        if (dataset == null) {
            dataset = out.resolve("data");
            if (!Files.isDirectory(dataset.resolve("images"))) {
                System.out.println("[1/3] writing " + n + " SYNTHETIC phantom images to " + dataset);
                Phantoms.writeDataset(dataset, n, 256, 7);
            } else {
                System.out.println("[1/3] reusing the synthetic dataset in " + dataset);
            }
        } else {
            System.out.println("[1/3] dataset " + dataset);
        }
        String threads = String.valueOf(common.threads());
        System.out.println("[2/3] inspect");
        int rc = Main.commandLine().execute("inspect", dataset.toString(), "--json", out.resolve("inspect.json").toString(), "--threads", threads);
        if (rc == ExitCodes.FAILED) return rc;
        System.out.println("[3/3] mask (polygons -> lung masks -> bitwise AND -> lung crop 224 px, with overlays)");
        int rc2 = Main.commandLine().execute("mask", dataset.toString(), "--out", out.resolve("masked").toString(),
                "--crop", "--size", "224", "--overlay", "--threads", threads);
        System.out.println("done: overlays in " + out.resolve("masked/overlays").toAbsolutePath().normalize()
                + ", dataset summary in " + out.resolve("inspect.json").toAbsolutePath().normalize());
        System.out.println("Research tool, not a diagnostic device.");
        return Math.max(rc, rc2);
    }
}
