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
                "inspect it, mask it, train a small classifier briefly, evaluate it and write the HTML report",
                "(about two minutes on two cores). Prints where the report is."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "cxr-demo", paramLabel = "DIR", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data", paramLabel = "DATASET", description = "Run on this dataset instead of synthetic phantoms.")
    Path data;

    @Option(names = "--n", defaultValue = "240", description = "Number of synthetic images (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--epochs", defaultValue = "15", description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--image-size", defaultValue = "96", description = "Model input size (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        Path dataset = data;
        if (dataset == null) {
            dataset = out.resolve("data");
            if (!Files.isDirectory(dataset.resolve("images"))) {
                System.out.println("[1/5] writing " + n + " SYNTHETIC phantom images to " + dataset);
                Phantoms.writeDataset(dataset, n, 256, 7);
            } else {
                System.out.println("[1/5] reusing the synthetic dataset in " + dataset);
            }
        } else {
            System.out.println("[1/5] dataset " + dataset);
        }
        String threads = String.valueOf(common.threads());
        System.out.println("[2/5] inspect");
        int rc = run("inspect", dataset.toString(), "--json", out.resolve("inspect.json").toString(), "--threads", threads);
        if (rc == ExitCodes.FAILED) return rc;
        System.out.println("[3/5] mask: polygons -> lung masks -> bitwise AND -> lung crop, with overlays");
        rc = Math.max(rc, run("mask", dataset.toString(), "--out", out.resolve("masked").toString(), "--crop", "--size", "224",
                "--overlay", "--threads", threads));
        Path model = out.resolve("model");
        if (Files.exists(model.resolve("model.json"))) {
            System.out.println("[4/5] reusing the model in " + model + " (delete it to train again)");
        } else {
            System.out.println("[4/5] train a small classifier for " + epochs + " epochs");
            int t = run("train", dataset.toString(), "--out", model.toString(), "--epochs", String.valueOf(epochs),
                    "--image-size", String.valueOf(imageSize), "--width", "16", "--blocks", "1,1,1", "--batch-size", "16",
                    "--lr", "3e-3", "--threads", threads);
            if (t == ExitCodes.FAILED) return t;
            rc = Math.max(rc, t);
        }
        System.out.println("[5/5] evaluate on the held-out patients and write the report");
        Path report = out.resolve("report");
        int e = run("evaluate", "--model", model.toString(), dataset.toString(), "--split", "test", "--out", report.toString(),
                "--threads", threads);
        rc = Math.max(rc, e);
        System.out.println();
        System.out.println("report: " + report.resolve("report.html").toAbsolutePath().normalize());
        System.out.println("masks and overlays: " + out.resolve("masked").toAbsolutePath().normalize());
        if (data == null) System.out.println("(synthetic phantoms, not X-rays: the numbers only show that the pipeline works)");
        System.out.println("Research tool, not a diagnostic device.");
        return rc;
    }

    private static int run(String... args) {
        return Main.commandLine().execute(args);
    }
}
