package io.cxr4j.report;

import io.cxr4j.data.Csv;
import io.cxr4j.eval.SegmentationEvaluation;
import io.cxr4j.eval.SegmentationRow;
import io.cxr4j.eval.Summary;
import io.cxr4j.image.GrayImage;
import io.cxr4j.mask.MaskOps;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.AtomicFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a segmenter's evaluation: metrics.json (mean/median/p5 Dice and IoU), per_image.csv and the
 * report.html page with the summary and the worst cases, both outlines drawn from the masks kept in the
 * evaluation (no second segmentation pass).
 */
public final class SegmenterReport {
    private SegmenterReport() {}

    /** What was evaluated, for metrics.json and the page. */
    public record About(Path segmenter, Path dataset, String split, int members, int views) {}

    /** Writes metrics.json, per_image.csv and report.html into {@code dir}. */
    public static void writeAll(Path dir, SegmentationEvaluation ev, About about) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", ev.n());
        m.put("dice", summaryMap(ev.dice()));
        m.put("iou", summaryMap(ev.iou()));
        m.put("split", about.split());
        m.put("members", about.members());
        m.put("tta_views", about.views());
        m.put("model", about.segmenter().toAbsolutePath().normalize().toString());
        m.put("dataset", about.dataset().toAbsolutePath().normalize().toString());
        m.put("note", "masks compared at each image's original size; reference = the dataset's lung masks (Ignore removed)");
        m.put("disclaimer", ModelCard.DISCLAIMER);
        AtomicFiles.writeBytes(dir.resolve("metrics.json"), ModelCard.json().writeValueAsBytes(m));
        StringBuilder csv = new StringBuilder("file,patient,source,dice,iou\n");
        for (SegmentationRow r : ev.rowsWorstFirst()) {
            csv.append(Csv.line(r.sample().file(), r.sample().patientId(), r.sample().source(),
                    String.format(Locale.ROOT, "%.5f", r.dice()), String.format(Locale.ROOT, "%.5f", r.iou())));
        }
        AtomicFiles.writeString(dir.resolve("per_image.csv"), csv.toString());
        write(ev, about, dir.resolve("report.html"));
    }

    static Map<String, Object> summaryMap(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", round(s.mean()));
        m.put("median", round(s.median()));
        m.put("p5", round(s.p5()));
        m.put("min", round(s.min()));
        m.put("max", round(s.max()));
        return m;
    }

    private static double round(double v) { return Math.round(v * 1e6) / 1e6; }

    /** The page: summary numbers and the worst cases with both outlines drawn. */
    public static void write(SegmentationEvaluation ev, About about, Path target) throws IOException {
        Summary dice = ev.dice(), iou = ev.iou();
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>cxr4j lung segmenter</title>")
                .append(Html.STYLE).append("</head><body><h1>cxr4j lung segmenter evaluation</h1>")
                .append("<p class=\"warn\"><b>Research tool, not a diagnostic device.</b></p>");
        h.append(String.format(Locale.ROOT, "<p>Segmenter <code>%s</code>, split <b>%s</b>, %d images; masks compared at each image's original size.</p>",
                Html.esc(about.segmenter().toString()), Html.esc(about.split()), dice.n()));
        h.append("<table><tr><th></th><th>mean</th><th>median</th><th>5th percentile</th><th>min</th></tr>");
        h.append(String.format(Locale.ROOT, "<tr><td>Dice</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td></tr>", dice.mean(), dice.median(), dice.p5(), dice.min()));
        h.append(String.format(Locale.ROOT, "<tr><td>IoU</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td></tr></table>", iou.mean(), iou.median(), iou.p5(), iou.min()));
        h.append(Html.img(about.segmenter().resolve("training_curves.png"), "training curves", "max-width:100%"));
        h.append("<h2>Worst cases</h2><p>Green: reference mask outline; orange: predicted.</p><div class=\"gallery\">");
        for (SegmentationEvaluation.WorstCase w : ev.worst()) {
            SegmentationRow r = w.row();
            String thumb = Html.img(ClassifierReport.thumbnail(twoOutlines(w.image(), w.truth(), w.predicted()), 230), r.sample().file(), "");
            h.append("<div class=\"card\">").append(thumb).append(String.format(Locale.ROOT,
                    "<div><b>%s</b><br>Dice %.3f, IoU %.3f<br><span class=\"muted\">%s</span></div></div>", Html.esc(r.sample().file()),
                    r.dice(), r.iou(), Html.esc(String.valueOf(r.sample().source()))));
        }
        h.append("</div><p class=\"muted\">").append(ModelCard.DISCLAIMER).append("</p></body></html>");
        AtomicFiles.writeString(target, h.toString());
    }

    /** The X-ray with the reference outline in green and the predicted outline in orange. */
    public static BufferedImage twoOutlines(GrayImage img, GrayImage truth, GrayImage pred) {
        int w = img.width(), hh = img.height();
        int t = Math.max(0, Math.max(w, hh) / 400);
        GrayImage et = MaskOps.dilate(MaskOps.outline(truth), t), ep = MaskOps.dilate(MaskOps.outline(pred), t);
        BufferedImage out = new BufferedImage(w, hh, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < hh; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x, v = img.pixels()[i] & 0xFF;
                int rgb = (v << 16) | (v << 8) | v;
                if (et.pixels()[i] != 0) rgb = 0x00E070;
                if (ep.pixels()[i] != 0) rgb = 0xFFA000;
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }
}
