package io.cxr4j.jobs;

import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageWriter;
import io.cxr4j.mask.LungCrop;
import io.cxr4j.mask.MaskOps;
import io.cxr4j.mask.Overlays;
import io.cxr4j.prep.Prepared;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Masks a dataset's films: each film's lung mask from its polygons (or V7 mask), the film with only the
 * lungs kept (bitwise AND, optionally cropped and resized), and optionally the outline over the X-ray:
 * {@code out/masks}, {@code out/masked} and {@code out/overlays}, one PNG per film named by its stem.
 */
public final class MaskJob {
    private MaskJob() {}

    /**
     * @param checkMasks also compare the polygon masks with the dataset's V7 mask PNGs (lung IoU per film)
     */
    public record Settings(MaskSource source, LungCrop recipe, boolean overlay, boolean checkMasks, int threads) {}

    /** The films done, those that failed (each with a reason) and, with the check, each compared film's IoU. */
    public record Result(int done, List<Batch.Failure> failures, Map<String, Double> checkIou) {}

    public static Result run(Settings s, List<Sample> items, Path out) throws IOException {
        Path masksDir = out.resolve("masks"), maskedDir = out.resolve("masked"), overlayDir = out.resolve("overlays");
        Files.createDirectories(masksDir);
        Files.createDirectories(maskedDir);
        if (s.overlay()) Files.createDirectories(overlayDir);
        Map<String, Double> ious = new ConcurrentHashMap<>();
        Progress progress = Progress.forStderr("mask", items.size());
        List<Batch.Failure> failures = Batch.run(items, s.threads(), Sample::image, progress, x -> {
            Prepared p = Prepared.load(x, s.source(), s.recipe());
            String name = x.stem() + ".png";
            ImageWriter.writePng(p.lungMask(), masksDir.resolve(name));
            ImageWriter.writePng(p.masked(), maskedDir.resolve(name));
            if (s.overlay()) ImageWriter.writePng(Overlays.outline(p.image(), p.lungMask(), 0x00E070), overlayDir.resolve(name));
            if (s.checkMasks() && x.annotation() != null && x.mask() != null && s.source() != MaskSource.MASK) {
                GrayImage v7 = MaskSource.MASK.lungMask(x, p.image().width(), p.image().height());
                ious.put(x.file(), MaskOps.iou(p.lungMask(), v7));
            }
        });
        return new Result(items.size() - failures.size(), failures, Map.copyOf(ious));
    }
}
