package io.cxr4j.report;

import io.cxr4j.audit.ShortcutAudit;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.AtomicFiles;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The shortcut audit's files: audit.json and a self-contained report.html. It computes nothing new. */
public final class AuditReport {
    private AuditReport() {}

    /** The outline-only goal: at most this balanced accuracy. */
    public static final double OUTLINE_GOAL = 0.35;

    /** The audit as JSON: context ({@code header}), then one entry per probe. */
    public static Map<String, Object> json(Map<String, Object> header, List<ShortcutAudit.Probe> probes) {
        Map<String, Object> m = new LinkedHashMap<>(header);
        Map<String, Object> ps = new LinkedHashMap<>();
        for (ShortcutAudit.Probe p : probes) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("question", p.question());
            v.put("features", p.features());
            v.put("predicts", p.target());
            v.put("balanced_accuracy", round(p.balancedAccuracy()));
            v.put("chance", round(p.chance()));
            v.put("train_films", p.trainFilms());
            v.put("test_films", p.testFilms());
            if (!Double.isNaN(p.lambda())) v.put("l2", p.lambda());
            v.put(p.target().equals("source") ? "sources" : "classes", p.targets());
            Map<String, Object> recall = new LinkedHashMap<>();
            for (int i = 0; i < p.targets().size(); i++) if (!Double.isNaN(p.recalls()[i])) recall.put(p.targets().get(i), round(p.recalls()[i]));
            v.put("recall", recall);
            ps.put(p.id(), v);
        }
        m.put("probes", ps);
        double outline = probes.stream().filter(p -> p.id().startsWith("outline")).mapToDouble(ShortcutAudit.Probe::balancedAccuracy)
                .filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
        Map<String, Object> goal = new LinkedHashMap<>();
        goal.put("outline_only_balanced_accuracy_at_most", OUTLINE_GOAL);
        goal.put("outline_only_balanced_accuracy", round(outline));
        goal.put("met", !Double.isNaN(outline) && outline <= OUTLINE_GOAL);
        m.put("goal", goal);
        m.put("disclaimer", ModelCard.DISCLAIMER);
        return m;
    }

    /** Writes R/audit.json and R/report.html. */
    public static void write(Map<String, Object> header, List<ShortcutAudit.Probe> probes, Path out) throws Exception {
        Map<String, Object> json = json(header, probes);
        AtomicFiles.writeBytes(out.resolve("audit.json"), ModelCard.json().writeValueAsBytes(json));
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>cxr4j shortcut audit</title>").append(Html.STYLE).append("</head><body>");
        h.append("<h1>cxr4j shortcut audit</h1>");
        h.append("<p class=\"warn\"><b>Research tool, not a diagnostic device.</b> These figures describe what a model and simple probes "
                + "can read from a research collection; they must not be used for patient care.</p>");
        h.append(String.format(Locale.ROOT, "<p>Model <code>%s</code> on <code>%s</code>. Probes are linear (multinomial logistic regression "
                        + "on %dx%d pictures) fitted on the model's <b>training</b> patients, their L2 penalty chosen on its validation patients, "
                        + "and scored on its <b>test</b> patients (%s films). Each figure is <b>balanced accuracy</b> (the mean of the per-class "
                        + "recalls), so a probe that always answers the commonest class scores chance.</p>",
                Html.esc(String.valueOf(header.get("model"))), Html.esc(String.valueOf(header.get("datasets"))), ShortcutAudit.SIDE,
                ShortcutAudit.SIDE, header.get("films")));
        if (header.get("input") != null) h.append("<p>Model input: ").append(Html.esc(String.valueOf(header.get("input")))).append(".</p>");
        h.append("<table><tr><th>what alone</th><th>seen as</th><th>predicts</th><th>balanced accuracy</th><th>chance</th><th>train / test films</th>"
                + "<th>recall per class or source</th></tr>");
        for (ShortcutAudit.Probe p : probes) {
            boolean outline = p.id().startsWith("outline");
            boolean over = outline && p.balancedAccuracy() > OUTLINE_GOAL;
            StringBuilder rec = new StringBuilder();
            for (int i = 0; i < p.targets().size(); i++) {
                if (Double.isNaN(p.recalls()[i])) continue;
                rec.append(rec.length() == 0 ? "" : ", ").append(Html.esc(p.targets().get(i))).append(String.format(Locale.ROOT, " %.2f", p.recalls()[i]));
            }
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s%.3f%s</td><td>%.3f</td><td>%d / %d</td><td>%s</td></tr>",
                    Html.esc(p.question()), Html.esc(p.features()), Html.esc(p.target()), over ? "<b style=\"color:#b00\">" : "<b>",
                    p.balancedAccuracy(), "</b>", p.chance(), p.trainFilms(), p.testFilms(), rec));
        }
        h.append("</table>");
        @SuppressWarnings("unchecked") Map<String, Object> goal = (Map<String, Object>) json.get("goal");
        h.append(String.format(Locale.ROOT, "<p class=\"key\">Outline only: balanced accuracy <b>%s</b> (the higher of the probe and the "
                        + "classifier on a filled outline); goal at most %.2f: <b>%s</b>.</p>", goal.get("outline_only_balanced_accuracy"),
                OUTLINE_GOAL, Boolean.TRUE.equals(goal.get("met")) ? "met" : "not met"));
        h.append("<h2>How to read it</h2><ul>"
                + "<li><b>Outline</b>: the lung mask as the model's crop frames it, with the texture removed. The probe shows how much "
                + "the shape itself tells the classes apart (children's and adults' chests differ, and the collections are split by age). "
                + "The classifier on the filled input sees no outline at all: its input is z-scored over the lungs, so a constant fill "
                + "becomes all zeros, and it answers the same class for every film (chance).</li>"
                + "<li><b>Outside the lungs</b>: what the film shows beyond the lungs (body size, markers, borders, exposure). The "
                + "classifier never sees it (the lungs are cut out and masked); a high figure is what masking protects against.</li>"
                + "<li><b>Source</b>: how well the collection (hospital) can be read from exactly what the classifier sees. Chance is one "
                + "over the number of sources. High means the input still carries the source, which the classifier could use in place "
                + "of the disease.</li>"
                + "<li>The references: the same linear probe on the model's input predicting the class, and the classifier itself.</li></ul>");
        h.append("<p class=\"muted\">Made by cxr4j ").append(Html.esc(io.cxr4j.util.Version.get())).append(". ")
                .append(ModelCard.DISCLAIMER).append("</p></body></html>");
        AtomicFiles.writeString(out.resolve("report.html"), h.toString());
    }

    private static double round(double v) {
        return Double.isNaN(v) ? Double.NaN : Math.round(v * 1000) / 1000.0;
    }
}
