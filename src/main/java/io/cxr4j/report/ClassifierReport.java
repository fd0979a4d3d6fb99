package io.cxr4j.report;

import io.cxr4j.eval.ClassifierEvaluation;
import io.cxr4j.eval.Metrics;
import io.cxr4j.eval.Prediction;
import io.cxr4j.eval.SourceTable;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.mask.Overlays;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.AtomicFiles;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The evaluation page: one self-contained report.html with metrics, plots and error analysis. */
public final class ClassifierReport {
    private ClassifierReport() {}

    public record Inputs(ModelCard card, Path modelDir, String datasetName, String split, String maskSource,
                         Metrics.Result metrics, List<Prediction> predictions, Map<String, Object> bySource,
                         Map<String, Object> byView, Map<String, Object> shortcut, Path confusionPng, Path rocPng,
                         Path calibrationPng, Map<String, Metrics.Result> extraMetrics, SourceTable sources) {}

    /** Where the model looked on a film, for the class it predicted there (0-255 at the film's size). */
    @FunctionalInterface
    public interface HeatSource {
        GrayImage heat(GrayImage film, GrayImage lungMask, int predicted) throws Exception;
    }

    public static void write(Inputs in, io.cxr4j.prep.MaskProvider masks, Path target) throws Exception {
        write(in, masks, null, null, target);
    }

    /**
     * @param heat    draws the heat maps on the error gallery (null: outlines only)
     * @param heatFigures the heat-share figures over the evaluated films, as in metrics.json (null: none)
     */
    public static void write(Inputs in, io.cxr4j.prep.MaskProvider masks, HeatSource heat, Map<String, Object> heatFigures, Path target)
            throws Exception {
        StringBuilder h = new StringBuilder();
        List<String> classes = in.card().classes();
        Metrics.Result m = in.metrics();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>cxr4j evaluation</title>").append(Html.STYLE).append("</head><body>");
        h.append("<h1>cxr4j classifier evaluation</h1>");
        h.append("<p class=\"warn\"><b>Research tool, not a diagnostic device.</b> These results describe a model on a research "
                + "collection with imperfect labels; they must not be used for patient care.</p>");
        h.append(String.format(Locale.ROOT, "<p>Model <code>%s</code> (%s, input %s %dpx) on <code>%s</code>, split <b>%s</b>, lung masks from <b>%s</b>; %d images.</p>",
                Html.esc(in.modelDir().toString()), Html.esc(in.card().architecture().kind()), Html.esc(in.card().input().maskMode()),
                in.card().input().size(), Html.esc(in.datasetName()), Html.esc(in.split()), Html.esc(in.maskSource()), m.n()));
        if (in.sources() != null) sourceTable(h, in.sources());
        h.append(String.format(Locale.ROOT, "<p class=\"key\">Four-class accuracy <b>%.3f</b> &middot; macro F1 <b>%.3f</b> &middot; weighted F1 %.3f &middot; ECE %.3f</p>",
                m.accuracy(), m.macroF1(), m.weightedF1(), m.ece()));
        // the shortcut check, prominently
        h.append("<h2>Shortcut check: does \"COVID-19\" mean \"adult\"?</h2>");
        h.append("<p>All COVID-19 images in this collection are of adults and nearly all others of children, so a model can learn the "
                + "source instead of the disease. For each source, the non-COVID images the model called COVID-19:</p><table><tr><th>source</th><th>non-COVID images</th><th>called COVID-19</th></tr>");
        for (var e : in.shortcut().entrySet()) {
            @SuppressWarnings("unchecked") Map<String, Object> v = (Map<String, Object>) e.getValue();
            boolean adult = Boolean.TRUE.equals(v.get("source_has_covid19_images"));
            h.append(String.format(Locale.ROOT, "<tr><td>%s%s</td><td>%s</td><td>%s%s%s</td></tr>", Html.esc(e.getKey()),
                    adult ? " (has COVID-19 images)" : "", v.get("non_covid"), adult ? "<b>" : "", v.get("called_covid19"), adult ? "</b>" : ""));
        }
        h.append("</table>");
        if (in.extraMetrics() != null && !in.extraMetrics().isEmpty()) {
            h.append("<h2>Masks from annotations vs predicted masks</h2><table><tr><th>lung masks</th><th>n</th><th>accuracy</th><th>macro F1</th></tr>");
            for (var e : in.extraMetrics().entrySet()) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.3f</td><td>%.3f</td></tr>", Html.esc(e.getKey()),
                        e.getValue().n(), e.getValue().accuracy(), e.getValue().macroF1()));
            }
            h.append("</table>");
        }
        trainedOn(h, in.card());
        h.append("<h2>Per class</h2><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>ROC AUC</th></tr>");
        for (String c : classes) {
            Metrics.PerClass p = m.perClass().get(c);
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%d</td><td>%.3f</td></tr>",
                    Html.esc(c), p.precision(), p.recall(), p.f1(), p.support(), m.rocAuc().getOrDefault(c, Double.NaN)));
        }
        h.append("</table>");
        h.append("<h2>Confusion matrix, ROC and calibration</h2>");
        h.append(Html.img(in.confusionPng(), "confusion matrix", "max-width:560px"));
        h.append(Html.img(in.rocPng(), "ROC curves", "max-width:520px"));
        h.append(Html.img(in.calibrationPng(), "calibration", "max-width:520px"));
        h.append("<h2>Training curves</h2>").append(Html.img(in.modelDir().resolve("training_curves.png"), "training curves", "max-width:100%"));
        h.append("<h2>By source and view</h2>");
        groupTable(h, "source", in.bySource());
        groupTable(h, "view", in.byView());
        // error analysis
        h.append("<h2>Error analysis</h2><p>Most frequent confusions (true &rarr; predicted):</p><table><tr><th>true</th><th>predicted</th><th>images</th><th>share of true class</th></tr>");
        List<int[]> conf = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) for (int j = 0; j < classes.size(); j++) if (i != j && m.confusion()[i][j] > 0) conf.add(new int[] {i, j, m.confusion()[i][j]});
        conf.sort((a, b) -> b[2] - a[2]);
        for (int[] c : conf.subList(0, Math.min(6, conf.size()))) {
            int support = m.perClass().get(classes.get(c[0])).support();
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%.0f%%</td></tr>", classes.get(c[0]), classes.get(c[1]), c[2], 100.0 * c[2] / support));
        }
        h.append("</table>");
        if (heatFigures != null) heatSection(h, heatFigures);
        h.append(heat == null ? "<p>The most confident mistakes (X-ray with the lung mask outline, true vs predicted class):</p>"
                : "<p>The most confident mistakes: X-ray with the lung mask outline and a Grad-CAM heat map of where the model looked "
                        + "for the class it gave (blue to red: little to most; scaled per film), true vs predicted class:</p>");
        h.append("<div class=\"gallery\">");
        List<Prediction> wrong = in.predictions().stream().filter(p -> p.truth() >= 0 && !p.correct())
                .sorted(Comparator.comparingDouble(p -> -p.confidence())).limit(16).toList();
        for (Prediction p : wrong) {
            String thumb;
            try {
                GrayImage img = ImageReader.read(p.sample().image());
                GrayImage mask = masks.lungMask(p.sample(), img);
                BufferedImage ov = heat == null ? Overlays.outline(img, mask, 0x00E070)
                        : io.cxr4j.explain.HeatOverlay.render(img, mask, heat.heat(img, mask, p.predicted()));
                thumb = Html.img(thumbnail(ov, 230), p.sample().file(), "");
            } catch (Exception e) {
                thumb = "<p><em>image unavailable</em></p>";
            }
            h.append("<div class=\"card\">").append(thumb).append(String.format(Locale.ROOT,
                    "<div><b>%s</b><br>true <b>%s</b>, predicted <b>%s</b> (%.0f%%)<br><span class=\"muted\">%s, %s</span></div></div>",
                    Html.esc(p.sample().file()), classes.get(p.truth()), classes.get(p.predicted()), 100 * p.confidence(),
                    Html.esc(String.valueOf(p.sample().source())), Html.esc(String.valueOf(p.sample().view()))));
        }
        h.append("</div>");
        h.append("<p class=\"muted\">Made by cxr4j ").append(Html.esc(io.cxr4j.util.Version.get())).append(". ")
                .append(ModelCard.DISCLAIMER).append("</p></body></html>");
        AtomicFiles.writeString(target, h.toString());
    }

    /** The per-source table the report leads with: does "COVID-19" mean COVID-19 on each hospital's films? */
    static void sourceTable(StringBuilder h, SourceTable t) {
        h.append("<h2>By source: does \"COVID-19\" mean COVID-19 on each hospital's films?</h2>");
        h.append("<p>Each source (hospital or collection) alone, then adult and child films pooled. A film labelled <i>pneumonia</i> "
                + "(type unknown) counts as right when called bacterial or viral pneumonia, and as non-COVID. ROC AUC is COVID-19 "
                + "against everything else, only where a group has films of both kinds; a source with one kind only cannot show "
                + "whether the model tells the disease from the hospital.</p>");
        h.append("<table><tr><th>source</th><th>films</th><th>n</th><th>accuracy</th><th>COVID-19 recall</th>"
                + "<th>non-COVID called COVID-19</th><th>COVID-19 ROC AUC</th><th>adult / child films</th></tr>");
        for (SourceTable.Row r : t.rows()) {
            boolean pooled = r.group().contains("(all sources)") || r.group().equals("all");
            h.append(String.format(Locale.ROOT, "<tr%s><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d / %d</td></tr>",
                    pooled ? " style=\"font-weight:bold\"" : "", Html.esc(r.group()), r.population(), r.n(), f3(r.accuracy()),
                    r.covid() == 0 ? "&ndash;" : f3(r.covidRecall()) + " (" + r.covid() + ")",
                    r.nonCovid() == 0 ? "&ndash;" : String.format(Locale.ROOT, "%d of %d (%.1f%%)", r.nonCovidCalledCovid(), r.nonCovid(),
                            100 * r.nonCovidCalledCovidRate()),
                    Double.isNaN(r.covidAuc()) ? "&ndash;" : f3(r.covidAuc()), r.adults(), r.children()));
        }
        h.append("</table>");
        SourceTable.Coarse c = t.coarse();
        if (c.n() > 0) {
            h.append(String.format(Locale.ROOT, "<p><b>Pneumonia of unknown type</b> (label <code>pneumonia</code>, not in the four-class "
                    + "confusion matrix): %d films; called bacterial %d, viral %d (right: %.3f), healthy %d, COVID-19 %d.</p>",
                    c.n(), c.bacterial(), c.viral(), c.accuracy(), c.healthy(), c.covid19()));
        }
    }

    /** The heat-share figures: is the heat on the lungs, or on their outline? */
    static void heatSection(StringBuilder h, Map<String, Object> f) {
        h.append("<h3>Where the model looked</h3>");
        h.append(String.format(Locale.ROOT, "<p>Grad-CAM heat of the predicted class on %s films (a fixed random sample of %s): "
                        + "<b>%.1f%%</b> of the positive heat lies inside the lung mask, <b>%.1f%%</b> on the mask's outer %s-pixel band "
                        + "(at the model's %s input; the band is %.1f%% of the lung area, so an even spread would put that share there), "
                        + "and %.1f%% in the %s pixels just outside. Heat well above the band's area share on the band means the model "
                        + "reads the mask's outline rather than the lungs.</p>",
                f.get("films"), f.get("sampled_from"), 100 * num(f, "share_in_lungs"), 100 * num(f, "share_in_outer_band"), f.get("band_px"),
                "192-pixel", 100 * num(f, "outer_band_share_of_lung_area"), 100 * num(f, "share_just_outside_band"), f.get("band_px")));
    }

    private static double num(Map<String, Object> f, String k) {
        return f.get(k) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** What the model learned from and what it cannot tell. */
    static void trainedOn(StringBuilder h, ModelCard card) {
        ModelCard.TrainedOn t = card.trainedOn();
        h.append("<h2>What the model was trained on</h2>");
        if (t == null) {
            h.append("<p class=\"muted\">Not recorded in this model's model.json.</p>");
            return;
        }
        h.append("<table><tr><th>source</th><th>training films by label</th></tr>");
        for (var e : t.sources().entrySet()) {
            h.append("<tr><td>").append(Html.esc(e.getKey())).append("</td><td>").append(Html.esc(e.getValue().toString())).append("</td></tr>");
        }
        h.append("</table><p>Populations: ").append(Html.esc(t.populations().toString())).append(".</p><ul>");
        for (String l : t.limits()) h.append("<li>").append(Html.esc(l)).append("</li>");
        h.append("</ul>");
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, "%.3f", v);
    }

    static BufferedImage thumbnail(BufferedImage src, int side) {
        double s = (double) side / Math.max(src.getWidth(), src.getHeight());
        int w = Math.max(1, (int) (src.getWidth() * s)), hh = Math.max(1, (int) (src.getHeight() * s));
        BufferedImage out = new BufferedImage(w, hh, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src.getScaledInstance(w, hh, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void groupTable(StringBuilder h, String name, Map<String, Object> groups) {
        if (groups == null || groups.isEmpty()) return;
        h.append("<table><tr><th>").append(name).append("</th><th>images</th><th>accuracy</th></tr>");
        for (var e : groups.entrySet()) {
            Map<String, Object> v = (Map<String, Object>) e.getValue();
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%.3f</td></tr>", Html.esc(e.getKey()), v.get("n"), ((Number) v.get("accuracy")).doubleValue()));
        }
        h.append("</table>");
    }
}
