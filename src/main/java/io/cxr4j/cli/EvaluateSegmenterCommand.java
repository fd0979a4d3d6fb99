package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.eval.SegmentationRow;
import io.cxr4j.eval.Summary;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.mask.MaskOps;
import io.cxr4j.model.ModelCard;
import io.cxr4j.report.SegmenterReport;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

@Command(name = "evaluate-segmenter", mixinStandardHelpOptions = true,
        description = {"Compare the segmenter's lung masks (at each image's original size, post-processed) with the dataset's",
                "lung masks: metrics.json (mean/median/p5 Dice and IoU), per_image.csv and report.html with the worst cases."})
public final class EvaluateSegmenterCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "SEG_DIR", description = "Segmenter folder (default: the shipped one).")
    Path model;

    @Parameters(index = "0", paramLabel = "DATASET")
    Path dataset;

    @Option(names = "--split", defaultValue = "test",
            description = "test (the segmenter's held-out patients), val (its validation patients: for choosing settings) or all.")
    String split;

    @Option(names = "--tta", paramLabel = "N",
            description = "Test-time views averaged (1 = none, up to 9: zooms, shifts, small rotations); default: the model's own.")
    Integer tta;

    @Option(names = "--out", required = true, paramLabel = "REPORT_DIR")
    Path out;

    @Mixin
    CommonOptions common;


    @Override
    public Integer call() throws Exception {
        if (!List.of("test", "val", "all").contains(split)) throw new UserError("--split must be test, val or all");
        if (tta != null && (tta < 1 || tta > io.cxr4j.segment.TestTimeViews.ALL.size()))
            throw new UserError("--tta must be 1.." + io.cxr4j.segment.TestTimeViews.ALL.size());
        MaskCommand.checkOutput(dataset, out);
        Path segDir = Models.segmenter(model);
        Dataset ds = CommonOptions.scan(dataset, null);
        List<Sample> samples = ds.samples().stream().filter(Sample::hasMaskSource).toList();
        if (split.equals("test")) samples = CommonOptions.testPart(segDir, samples, dataset);
        if (split.equals("val")) samples = CommonOptions.part(segDir, samples, dataset, io.cxr4j.data.PatientSplit.Part.VAL);
        LungSegmenter seg = CommonOptions.segmenter(segDir);
        if (tta != null) seg.setViews(tta);
        Files.createDirectories(out);
        try (seg) {
            Map<String, SegmentationRow> rows = new ConcurrentHashMap<>();
            List<Batch.Failure> failures = Batch.run(samples, common.threads(), Sample::image, Progress.forStderr("segment", samples.size()), s -> {
                GrayImage img = ImageReader.read(s.image());
                GrayImage truth = MaskSource.AUTO.lungMask(s, img.width(), img.height());
                GrayImage pred = seg.segment(img);
                rows.put(s.file(), new SegmentationRow(s, MaskOps.dice(pred, truth), MaskOps.iou(pred, truth)));
            });
            common.report(System.err, ds.problems(), failures);
            List<SegmentationRow> list = new ArrayList<>(rows.values());
            list.sort(Comparator.comparingDouble(SegmentationRow::dice));
            if (list.isEmpty()) throw new UserError("no image could be evaluated");
            Summary dice = Summary.of(list.stream().mapToDouble(SegmentationRow::dice).toArray());
            Summary iou = Summary.of(list.stream().mapToDouble(SegmentationRow::iou).toArray());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", list.size());
            m.put("dice", summaryMap(dice));
            m.put("iou", summaryMap(iou));
            m.put("split", split);
            m.put("members", seg.members());
            m.put("tta_views", seg.views());
            m.put("model", segDir.toAbsolutePath().normalize().toString());
            m.put("dataset", dataset.toAbsolutePath().normalize().toString());
            m.put("note", "masks compared at each image's original size; reference = the dataset's lung masks (Ignore removed)");
            m.put("disclaimer", ModelCard.DISCLAIMER);
            AtomicFiles.writeBytes(out.resolve("metrics.json"), ModelCard.json().writeValueAsBytes(m));
            StringBuilder csv = new StringBuilder("file,patient,source,dice,iou\n");
            for (SegmentationRow r : list) {
                csv.append(io.cxr4j.data.Csv.line(r.sample().file(), r.sample().patientId(), r.sample().source(),
                        String.format(Locale.ROOT, "%.5f", r.dice()), String.format(Locale.ROOT, "%.5f", r.iou())));
            }
            AtomicFiles.writeString(out.resolve("per_image.csv"), csv.toString());
            SegmenterReport.write(seg, segDir, list, dice, iou, split, out.resolve("report.html"));
            System.out.printf(Locale.ROOT, "%d images: Dice mean %.4f median %.4f p5 %.4f min %.4f | IoU mean %.4f median %.4f p5 %.4f%n",
                    list.size(), dice.mean(), dice.median(), dice.p5(), dice.min(), iou.mean(), iou.median(), iou.p5());
            System.out.println("report: " + out.resolve("report.html").toAbsolutePath().normalize());
            return ExitCodes.of(list.size(), failures.size() + ds.problems().size());
        }
    }

    static Map<String, Object> summaryMap(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", r(s.mean()));
        m.put("median", r(s.median()));
        m.put("p5", r(s.p5()));
        m.put("min", r(s.min()));
        m.put("max", r(s.max()));
        return m;
    }

    private static double r(double v) { return Math.round(v * 1e6) / 1e6; }

}
