package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.jobs.MaskJob;
import io.cxr4j.mask.LungCrop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "mask", mixinStandardHelpOptions = true,
        description = {"Build each image's lung mask from its polygons (or V7 mask) and keep only the lungs (bitwise AND).",
                "Writes DIR/masks/<stem>.png (255 = lung, image's own size), DIR/masked/<stem>.png and, with --overlay,",
                "DIR/overlays/<stem>.png. Items that cannot be processed are named on stderr and skipped.",
                "Exit: 0 all done, 1 some skipped, 2 nothing done or usage error."})
public final class MaskCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET", description = "Dataset folder (images/ + annotations/ and/or masks/).")
    Path dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--crop", description = "Crop the masked image to the lungs' bounding box (plus --margin, made square).")
    boolean crop;

    @Option(names = "--margin", defaultValue = "0.05", description = "Crop margin as a fraction of the lungs' box (default ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--size", defaultValue = "0", paramLabel = "N", description = "Resize the masked image to N x N (0 = keep size).")
    int size;

    @Option(names = "--overlay", description = "Also write the mask outline over the X-ray.")
    boolean overlay;

    @Option(names = "--mask-source", defaultValue = "auto", description = "auto (polygons, else mask PNG), annotation or mask.")
    String maskSource;

    @Option(names = "--annotations", paramLabel = "DIR", description = "Darwin JSON folder (default DATASET/annotations).")
    Path annotations;

    @Option(names = "--check-masks", description = {"Compare the masks built from polygons with the dataset's V7 mask PNGs",
            "(lung IoU per image; min/p5/median and the worst images are printed, all values in DIR/mask_check.csv)."})
    boolean checkMasks;

    @Mixin
    BrisqueFilter brisque;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        MaskSource source = parseSource(maskSource);
        if (size < 0) throw new UserError("--size must be >= 0");
        if (margin < 0 || margin > 1) throw new UserError("--margin must be between 0 and 1");
        LungCrop recipe = new LungCrop(crop, margin, size);
        checkOutput(dataset, out);
        Dataset ds = CommonOptions.scan(dataset, annotations);
        List<Sample> items = brisque.apply(ds.samples(), common.threads(), System.err);
        MaskJob.Result r = MaskJob.run(new MaskJob.Settings(source, recipe, overlay, checkMasks, common.threads()), items, out);
        common.report(System.err, ds.problems(), r.failures());
        int skipped = r.failures().size() + ds.problems().size();
        printDone(r, skipped, out);
        if (checkMasks) reportCheck(r.checkIou());
        return ExitCodes.of(r.done(), skipped);
    }

    static void printDone(MaskJob.Result r, int skipped, Path out) {
        System.out.printf(Locale.ROOT, "masked %d image(s), skipped %d; output in %s%n", r.done(), skipped, out.toAbsolutePath().normalize());
    }

    private void reportCheck(java.util.Map<String, Double> ious) throws IOException {
        if (ious.isEmpty()) {
            System.out.println("mask check: no image has both an annotation and a mask PNG");
            return;
        }
        List<java.util.Map.Entry<String, Double>> e = new java.util.ArrayList<>(ious.entrySet());
        e.sort(java.util.Map.Entry.comparingByValue());
        double[] v = e.stream().mapToDouble(java.util.Map.Entry::getValue).toArray();
        StringBuilder csv = new StringBuilder("file,lung_iou\n");
        for (var x : e) csv.append(io.cxr4j.data.Csv.line(x.getKey(), String.format(Locale.ROOT, "%.6f", x.getValue())));
        io.cxr4j.util.AtomicFiles.writeString(out.resolve("mask_check.csv"), csv.toString());
        System.out.printf(Locale.ROOT, "mask check (polygons vs V7 mask PNGs, lung IoU) on %d image(s): min %.4f, p5 %.4f, median %.4f, mean %.4f%n",
                v.length, v[0], io.cxr4j.eval.Summary.percentile(v, 5), io.cxr4j.eval.Summary.percentile(v, 50),
                java.util.Arrays.stream(v).average().orElse(0));
        System.out.println("lowest: " + e.subList(0, Math.min(5, e.size())));
    }

    static MaskSource parseSource(String s) {
        try {
            return MaskSource.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--mask-source must be auto, annotation or mask, not '" + s + "'");
        }
    }

    /** Refuses an output folder that would overwrite the dataset's own files. */
    static void checkOutput(Path dataset, Path out) {
        Path d = dataset.toAbsolutePath().normalize(), o = out.toAbsolutePath().normalize();
        if (o.equals(d) || o.startsWith(d.resolve("images")) || o.startsWith(d.resolve("annotations"))
                || o.startsWith(d.resolve("masks"))) {
            throw new UserError("--out " + out + " would write into the dataset's own folders; choose another folder");
        }
    }
}
