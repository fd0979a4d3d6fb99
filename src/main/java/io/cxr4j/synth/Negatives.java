package io.cxr4j.synth;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * Synthetic images that are not chest X-rays, for training and testing the input check: documents,
 * screenshots, graphics, noise, gradients and photo-like scenes. {@link #TRAIN_KINDS} are used to train;
 * {@link #HELD_OUT_KINDS} never are, so their refusal rate says how the check copes with kinds it never saw.
 * Deterministic for a seed. Each returns the colour picture (for the colour statistic) and its grey version.
 */
public final class Negatives {
    private Negatives() {}

    public static final List<String> TRAIN_KINDS = List.of("document", "shapes", "smooth-noise", "gradient", "white-noise", "flat");
    public static final List<String> HELD_OUT_KINDS = List.of("screenshot", "landscape", "rings", "chart");

    public static BufferedImage colour(String kind, int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        switch (kind) {
            case "document" -> document(g, r, w, h);
            case "shapes" -> shapes(g, r, w, h);
            case "smooth-noise" -> field(img, r, 2 + r.nextInt(6), r.nextBoolean());
            case "gradient" -> gradient(g, r, w, h);
            case "white-noise" -> whiteNoise(img, r);
            case "flat" -> { g.setColor(grey(r, 0, 255)); g.fillRect(0, 0, w, h); }
            case "screenshot" -> screenshot(g, r, w, h);
            case "landscape" -> landscape(img, g, r, w, h);
            case "rings" -> rings(g, r, w, h);
            case "chart" -> chart(g, r, w, h);
            default -> throw new IllegalArgumentException("unknown negative kind " + kind);
        }
        g.dispose();
        return img;
    }

    public static GrayImage grey(String kind, int w, int h, long seed) {
        return ImageReader.toGray(colour(kind, w, h, seed));
    }

    private static Color grey(Random r, int lo, int hi) {
        int v = lo + r.nextInt(Math.max(1, hi - lo));
        return new Color(v, v, v);
    }

    private static Color anyColour(Random r) {
        return new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
    }

    private static String words(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int len = 2 + r.nextInt(8);
            for (int j = 0; j < len; j++) sb.append((char) ('a' + r.nextInt(26)));
            sb.append(' ');
        }
        return sb.toString();
    }

    private static void document(Graphics2D g, Random r, int w, int h) {
        g.setColor(grey(r, 225, 256));
        g.fillRect(0, 0, w, h);
        g.setColor(grey(r, 0, 60));
        int size = Math.max(8, h / (30 + r.nextInt(30)));
        g.setFont(new Font(r.nextBoolean() ? Font.SERIF : Font.SANS_SERIF, Font.PLAIN, size));
        int margin = w / 10;
        for (int y = margin + size; y < h - margin; y += (int) (size * 1.5)) {
            if (r.nextDouble() < 0.1) continue; // paragraph break
            g.drawString(words(r, 30), margin, y);
        }
    }

    private static void shapes(Graphics2D g, Random r, int w, int h) {
        g.setColor(anyColour(r));
        g.fillRect(0, 0, w, h);
        int n = 5 + r.nextInt(20);
        for (int i = 0; i < n; i++) {
            g.setColor(r.nextBoolean() ? anyColour(r) : grey(r, 0, 256));
            int x = r.nextInt(w), y = r.nextInt(h), a = 10 + r.nextInt(w / 2), b = 10 + r.nextInt(h / 2);
            switch (r.nextInt(3)) {
                case 0 -> g.fillOval(x - a / 2, y - b / 2, a, b);
                case 1 -> g.fillRect(x - a / 2, y - b / 2, a, b);
                default -> { g.setStroke(new BasicStroke(1 + r.nextInt(8))); g.drawLine(x, y, r.nextInt(w), r.nextInt(h)); }
            }
        }
    }

    /** Sum of random smooth bumps at a few scales (clouds, blobs): no structure a film has. */
    private static void field(BufferedImage img, Random r, int octaves, boolean colour) {
        int w = img.getWidth(), h = img.getHeight();
        double[][] ch = new double[3][w * h];
        for (int c = 0; c < (colour ? 3 : 1); c++) {
            for (int o = 0; o < octaves; o++) {
                int cells = 2 << o;
                double[] grid = new double[(cells + 1) * (cells + 1)];
                for (int i = 0; i < grid.length; i++) grid[i] = r.nextGaussian() / (1 << o);
                for (int y = 0; y < h; y++) {
                    double gy = y * cells / (double) h;
                    int iy = (int) gy;
                    double fy = gy - iy;
                    for (int x = 0; x < w; x++) {
                        double gx = x * cells / (double) w;
                        int ix = (int) gx;
                        double fx = gx - ix;
                        double v00 = grid[iy * (cells + 1) + ix], v10 = grid[iy * (cells + 1) + ix + 1];
                        double v01 = grid[(iy + 1) * (cells + 1) + ix], v11 = grid[(iy + 1) * (cells + 1) + ix + 1];
                        ch[c][y * w + x] += (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
                    }
                }
            }
        }
        for (int i = 0; i < w * h; i++) {
            int[] v = new int[3];
            for (int c = 0; c < 3; c++) {
                double s = ch[colour ? c : 0][i];
                v[c] = Math.max(0, Math.min(255, (int) (128 + 70 * s)));
            }
            img.setRGB(i % w, i / w, (v[0] << 16) | (v[1] << 8) | v[2]);
        }
    }

    private static void gradient(Graphics2D g, Random r, int w, int h) {
        g.setPaint(new java.awt.GradientPaint(r.nextInt(w), r.nextInt(h), anyColour(r), r.nextInt(w), r.nextInt(h), anyColour(r)));
        g.fillRect(0, 0, w, h);
    }

    private static void whiteNoise(BufferedImage img, Random r) {
        int w = img.getWidth(), h = img.getHeight();
        boolean colour = r.nextBoolean();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = r.nextInt(256);
                img.setRGB(x, y, colour ? r.nextInt(1 << 24) : (v << 16) | (v << 8) | v);
            }
        }
    }

    private static void screenshot(Graphics2D g, Random r, int w, int h) {
        g.setColor(grey(r, 200, 256));
        g.fillRect(0, 0, w, h);
        g.setColor(anyColour(r)); // title bar
        g.fillRect(0, 0, w, h / 14);
        g.setColor(grey(r, 160, 220)); // side panel
        g.fillRect(0, h / 14, w / 5, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, h / 40)));
        for (int i = 0; i < 12; i++) {
            g.setColor(grey(r, 0, 80));
            g.drawString(words(r, 2), 8, h / 14 + (i + 1) * h / 16);
        }
        for (int i = 0; i < 4; i++) { // buttons and boxes
            g.setColor(anyColour(r));
            int x = w / 4 + r.nextInt(w / 2), y = h / 6 + r.nextInt(h / 2);
            g.fillRoundRect(x, y, w / 6, h / 18, 8, 8);
            g.setColor(Color.BLACK);
            g.drawString(words(r, 1), x + 4, y + h / 30);
        }
        for (int i = 0; i < 8; i++) {
            g.setColor(grey(r, 0, 100));
            g.drawString(words(r, 8), w / 4, h / 2 + i * h / 20);
        }
    }

    private static void landscape(BufferedImage img, Graphics2D g, Random r, int w, int h) {
        int horizon = h / 3 + r.nextInt(h / 3);
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(90 + r.nextInt(60), 140 + r.nextInt(60), 220), 0, horizon, new Color(200, 220, 240)));
        g.fillRect(0, 0, w, horizon);
        g.setColor(new Color(40 + r.nextInt(60), 90 + r.nextInt(80), 30 + r.nextInt(40)));
        int[] xs = new int[12], ys = new int[12];
        for (int i = 0; i < 10; i++) { xs[i] = i * w / 9; ys[i] = horizon - r.nextInt(h / 5); }
        xs[10] = w; ys[10] = h; xs[11] = 0; ys[11] = h;
        g.fillPolygon(xs, ys, 12);
        for (int i = 0; i < 40; i++) { // trees, rocks
            g.setColor(new Color(20 + r.nextInt(80), 50 + r.nextInt(100), 20 + r.nextInt(50)));
            int x = r.nextInt(w), y = horizon + r.nextInt(h - horizon), s = 5 + r.nextInt(w / 12);
            g.fillOval(x, y - s, s, 2 * s);
        }
    }

    private static void rings(Graphics2D g, Random r, int w, int h) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int cx = r.nextInt(w), cy = r.nextInt(h), step = 4 + r.nextInt(20);
        for (int rad = Math.max(w, h) * 2; rad > 0; rad -= step) {
            g.setColor((rad / step) % 2 == 0 ? grey(r, 0, 60) : grey(r, 190, 256));
            g.fillOval(cx - rad, cy - rad, 2 * rad, 2 * rad);
        }
    }

    private static void chart(Graphics2D g, Random r, int w, int h) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(2));
        g.drawLine(w / 10, h * 9 / 10, w * 9 / 10, h * 9 / 10);
        g.drawLine(w / 10, h / 10, w / 10, h * 9 / 10);
        int bars = 3 + r.nextInt(8);
        for (int i = 0; i < bars; i++) {
            g.setColor(anyColour(r));
            int bh = r.nextInt(h * 7 / 10);
            g.fillRect(w / 10 + (i + 1) * (w * 8 / 10) / (bars + 1) - 10, h * 9 / 10 - bh, 20, bh);
        }
    }
}
