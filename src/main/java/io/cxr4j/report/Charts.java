package io.cxr4j.report;

import io.cxr4j.eval.Metrics;
import io.cxr4j.eval.History;
import io.cxr4j.util.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Headless PNG plots: training curves, confusion matrix, ROC curves, reliability diagram. */
public final class Charts {
    private Charts() {}

    static void save(XYChart chart, Path target) throws IOException {
        AtomicFiles.write(target, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    static void save(BufferedImage img, Path target) throws IOException {
        AtomicFiles.write(target, out -> ImageIO.write(img, "png", out));
    }

    private static XYChart xy(String title, String x, String y, int w, int h) {
        XYChart c = new XYChartBuilder().width(w).height(h).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        c.getStyler().setMarkerSize(5);
        return c;
    }

    public static void trainingCurves(List<History> history, Path target) throws IOException {
        trainingCurves(history, target, "train accuracy", "val accuracy");
    }

    /** Loss and metric curves; the metric series are named by the caller (accuracy, Dice, ...). */
    public static void trainingCurves(List<History> history, Path target, String trainMetric, String valMetric) throws IOException {
        if (history.isEmpty()) return;
        double[] ep = history.stream().mapToDouble(History::epoch).toArray();
        XYChart loss = xy("Loss", "epoch", "loss", 520, 360);
        loss.addSeries("train", ep, history.stream().mapToDouble(History::trainLoss).toArray()).setMarker(SeriesMarkers.NONE);
        if (history.stream().noneMatch(h -> Double.isNaN(h.valLoss()))) {
            loss.addSeries("validation", ep, history.stream().mapToDouble(History::valLoss).toArray()).setMarker(SeriesMarkers.NONE);
        }
        boolean classifier = trainMetric.contains("accuracy");
        XYChart acc = xy(classifier ? "Accuracy and macro F1" : "Dice", "epoch", "", 520, 360);
        acc.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        acc.addSeries(trainMetric, ep, history.stream().mapToDouble(History::trainAccuracy).toArray()).setMarker(SeriesMarkers.NONE);
        acc.addSeries(valMetric, ep, history.stream().mapToDouble(History::valAccuracy).toArray()).setMarker(SeriesMarkers.NONE);
        if (classifier) {
            acc.addSeries("val macro F1", ep, history.stream().mapToDouble(History::valMacroF1).toArray()).setMarker(SeriesMarkers.NONE);
        }
        BufferedImage img = new BufferedImage(1040, 360, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        loss.paint(g, 520, 360);
        g.translate(520, 0);
        acc.paint(g, 520, 360);
        g.dispose();
        save(img, target);
    }

    /** Confusion matrix: counts in each cell, colour by the row-normalised rate (recall per true class). */
    public static BufferedImage confusionImage(List<String> classes, int[][] c, String title) {
        int k = classes.size(), cell = 110, left = 190, top = 70, w = left + k * cell + 30, h = top + k * cell + 120;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 10, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("rows: true class, columns: predicted; colour = share of the row", 10, 46);
        for (int i = 0; i < k; i++) {
            int row = 0;
            for (int j = 0; j < k; j++) row += c[i][j];
            for (int j = 0; j < k; j++) {
                double r = row == 0 ? 0 : (double) c[i][j] / row;
                Color col = i == j ? blend(new Color(235, 245, 235), new Color(30, 120, 50), r) : blend(Color.WHITE, new Color(200, 40, 40), r);
                g.setColor(col);
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(Color.GRAY);
                g.drawRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(r > 0.55 ? Color.WHITE : Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
                centre(g, String.valueOf(c[i][j]), left + j * cell + cell / 2, top + i * cell + cell / 2 - 2);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                centre(g, String.format(Locale.ROOT, "%.0f%%", 100 * r), left + j * cell + cell / 2, top + i * cell + cell / 2 + 20);
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(classes.get(i), 8, top + i * cell + cell / 2 + 5);
        }
        for (int j = 0; j < k; j++) {
            Graphics2D g2 = (Graphics2D) g.create();
            g2.translate(left + j * cell + cell / 2 + 5, top + k * cell + 10);
            g2.rotate(Math.PI / 6);
            g2.drawString(classes.get(j), 0, 0);
            g2.dispose();
        }
        g.dispose();
        return img;
    }

    public static void confusionMatrix(List<String> classes, int[][] c, String title, Path target) throws IOException {
        save(confusionImage(classes, c, title), target);
    }

    private static Color blend(Color a, Color b, double t) {
        t = Math.max(0, Math.min(1, t));
        return new Color((int) (a.getRed() + (b.getRed() - a.getRed()) * t), (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    private static void centre(Graphics2D g, String s, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, x - fm.stringWidth(s) / 2, y + fm.getAscent() / 2 - 2);
    }

    /** One-vs-rest ROC curve per class, AUC in the legend. */
    public static void roc(List<String> classes, int[] truth, float[][] probs, Path target) throws IOException {
        XYChart c = xy("ROC curves (one class vs the rest)", "false positive rate", "true positive rate", 640, 520);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        for (int k = 0; k < classes.size(); k++) {
            double[] score = new double[truth.length];
            boolean[] pos = new boolean[truth.length];
            for (int i = 0; i < truth.length; i++) { score[i] = probs[i][k]; pos[i] = truth[i] == k; }
            List<double[]> pts = Metrics.rocCurve(score, pos);
            double auc = Metrics.rocAuc(score, pos);
            XYSeries s = c.addSeries(String.format(Locale.ROOT, "%s (AUC %.3f)", classes.get(k), auc),
                    pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray());
            s.setMarker(SeriesMarkers.NONE);
        }
        XYSeries d = c.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        d.setMarker(SeriesMarkers.NONE);
        d.setLineColor(Color.LIGHT_GRAY);
        d.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f}, 0f));
        save(c, target);
    }

    /** Reliability diagram: accuracy against confidence per bin, with the diagonal. */
    public static void calibration(int[] truth, float[][] probs, double ece, Path target) throws IOException {
        double[][] r = Metrics.reliability(truth, probs, 10);
        XYChart c = xy(String.format(Locale.ROOT, "Calibration (ECE %.3f)", ece), "confidence of the predicted class", "accuracy", 640, 520);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        java.util.List<Double> xs = new java.util.ArrayList<>(), ys = new java.util.ArrayList<>();
        for (double[] b : r) if (b[2] > 0) { xs.add(b[0]); ys.add(b[1]); }
        if (!xs.isEmpty()) c.addSeries("model", xs, ys).setMarker(SeriesMarkers.CIRCLE);
        XYSeries d = c.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        d.setMarker(SeriesMarkers.NONE);
        d.setLineColor(Color.LIGHT_GRAY);
        save(c, target);
    }
}
