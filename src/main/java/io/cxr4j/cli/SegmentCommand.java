package io.cxr4j.cli;

import io.cxr4j.analysis.AnalysisOptions;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.analysis.XrayInput;
import io.cxr4j.data.PatientIds;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.image.ImageWriter;
import io.cxr4j.mask.Overlays;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.util.BadInputException;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Predict lung masks for X-rays that have no polygons. For every image writes DIR/masks/<stem>.png at the",
                "image's original size (255 lung, 0 elsewhere) and, with --overlay, DIR/overlays/<stem>.png.",
                "PATH is an image, a folder of images or a dataset folder (its images/)."})
public final class SegmentCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "SEG_DIR", description = "Segmenter folder (default: the shipped models/lung-segmenter).")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "PATH")
    List<Path> paths;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--overlay", description = "Also write the mask outline over the X-ray.")
    boolean overlay;

    @Option(names = "--raw", description = "Skip post-processing (largest two regions, holes filled, smoothed edges).")
    boolean raw;

    @Mixin
    InputCheckOptions inputCheck;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        List<Path> images = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path p : paths) images(p, images, problems);
        for (Path p : paths) if (Files.isDirectory(p)) MaskCommand.checkOutput(p, out);
        XrayAnalyzer seg;
        try {
            seg = XrayAnalyzer.segmenterOnly(Models.segmenter(model), inputCheck.apply(AnalysisOptions.defaults()));
        } catch (BadInputException e) {
            throw new UserError(Models.segmenter(model) + ": " + e.getMessage(), e);
        }
        try (seg) {
            Path masks = out.resolve("masks"), overlays = out.resolve("overlays");
            Files.createDirectories(masks);
            if (overlay) Files.createDirectories(overlays);
            Progress progress = Progress.forStderr("segment", images.size());
            List<Batch.Failure> failures = Batch.run(images, common.threads(), p -> p, progress, p -> {
                XrayAnalyzer.Segmentation sg = seg.segment(XrayInput.of(p), raw);
                GrayImage img = sg.image(), m = sg.lungMask();
                String name = PatientIds.stem(p.getFileName().toString()) + ".png";
                ImageWriter.writePng(m, masks.resolve(name));
                if (overlay) ImageWriter.writePng(Overlays.outline(img, m, 0xFFB000), overlays.resolve(name));
            });
            for (String pr : problems) System.err.println(pr);
            common.report(System.err, List.of(), failures);
            int ok = images.size() - failures.size();
            System.out.printf(Locale.ROOT, "segmented %d image(s), skipped %d; masks in %s%n", ok, failures.size() + problems.size(),
                    masks.toAbsolutePath().normalize());
            return ExitCodes.of(ok, failures.size() + problems.size());
        }
    }

    static void images(Path p, List<Path> out, List<String> problems) {
        if (Files.isDirectory(p)) {
            Path dir = Files.isDirectory(p.resolve("images")) ? p.resolve("images") : p;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|dcm)$"))
                        .sorted().forEach(out::add);
            } catch (java.io.IOException e) {
                problems.add(p + ": cannot list folder: " + e.getMessage());
            }
        } else if (Files.isRegularFile(p)) {
            out.add(p);
        } else {
            problems.add(p + ": no such file or folder");
        }
    }
}
