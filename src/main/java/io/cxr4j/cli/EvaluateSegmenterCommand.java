package io.cxr4j.cli;

import io.cxr4j.analysis.SegmenterScoring;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.Sample;
import io.cxr4j.eval.SegmentationEvaluation;
import io.cxr4j.eval.Summary;
import io.cxr4j.report.SegmenterReport;
import io.cxr4j.segment.LungSegmenter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

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
            SegmenterScoring.Run run = SegmenterScoring.run(seg, samples, common.threads());
            common.report(System.err, ds.problems(), run.failures());
            SegmentationEvaluation ev = run.evaluation();
            if (ev.n() == 0) throw new UserError("no image could be evaluated");
            SegmenterReport.writeAll(out, ev, new SegmenterReport.About(segDir, dataset, split, seg.members(), seg.views()));
            Summary dice = ev.dice(), iou = ev.iou();
            System.out.printf(Locale.ROOT, "%d images: Dice mean %.4f median %.4f p5 %.4f min %.4f | IoU mean %.4f median %.4f p5 %.4f%n",
                    ev.n(), dice.mean(), dice.median(), dice.p5(), dice.min(), iou.mean(), iou.median(), iou.p5());
            System.out.println("report: " + out.resolve("report.html").toAbsolutePath().normalize());
            return ExitCodes.of(ev.n(), run.failures().size() + ds.problems().size());
        }
    }
}
