package io.cxr4j.report;

import io.cxr4j.eval.SegmentationRow;
import io.cxr4j.data.MaskSource;
import io.cxr4j.eval.Summary;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.mask.MaskOps;
import io.cxr4j.model.ModelCard;
import io.cxr4j.segment.LungSegmenter;
import io.cxr4j.util.AtomicFiles;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The segmenter's evaluation page: summary numbers and the worst cases with both outlines drawn. */
public final class SegmenterReport {
    private SegmenterReport() {}

    public static void write(LungSegmenter seg, Path segDir, List<SegmentationRow> rowsWorstFirst, Summary dice, Summary iou, String split,
                             Path target) throws Exception {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>cxr4j lung segmenter</title>")
                .append(Html.STYLE).append("</head><body><h1>cxr4j lung segmenter evaluation</h1>")
                .append("<p class=\"warn\"><b>Research tool, not a diagnostic device.</b></p>");
        h.append(String.format(Locale.ROOT, "<p>Segmenter <code>%s</code>, split <b>%s</b>, %d images; masks compared at each image's original size.</p>",
                Html.esc(segDir.toString()), Html.esc(split), dice.n()));
        h.append("<table><tr><th></th><th>mean</th><th>median</th><th>5th percentile</th><th>min</th></tr>");
        h.append(String.format(Locale.ROOT, "<tr><td>Dice</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td></tr>", dice.mean(), dice.median(), dice.p5(), dice.min()));
        h.append(String.format(Locale.ROOT, "<tr><td>IoU</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td></tr></table>", iou.mean(), iou.median(), iou.p5(), iou.min()));
        h.append(Html.img(segDir.resolve("training_curves.png"), "training curves", "max-width:100%"));
        h.append("<h2>Worst cases</h2><p>Green: reference mask outline; orange: predicted.</p><div class=\"gallery\">");
        for (SegmentationRow r : rowsWorstFirst.subList(0, Math.min(12, rowsWorstFirst.size()))) {
            String thumb;
            try {
                GrayImage img = ImageReader.read(r.sample().image());
                GrayImage truth = MaskSource.AUTO.lungMask(r.sample(), img.width(), img.height());
                GrayImage pred = seg.segment(img);
                thumb = Html.img(ClassifierReport.thumbnail(twoOutlines(img, truth, pred), 230), r.sample().file(), "");
            } catch (Exception e) {
                thumb = "<p><em>image unavailable</em></p>";
            }
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
