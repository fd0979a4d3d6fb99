package io.cxr4j.segment;

import io.cxr4j.image.GrayImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Clean-up of a predicted lung mask, as a radiologist would expect a lung field to look: edges
 * smoothed, at most the two largest connected regions kept (two lungs), holes filled. Pure functions
 * on binary masks (non-zero = lung).
 */
public final class PostProcess {
    private PostProcess() {}

    public static GrayImage apply(GrayImage mask) {
        int r = Math.max(1, Math.max(mask.width(), mask.height()) / 200);
        return fillHoles(keepLargest(smooth(mask, r), 2));
    }

    /** Labels 8-connected regions; returns the label image (0 = background) and sizes per label. */
    public static int[] label(GrayImage m, List<Integer> sizes) {
        int w = m.width(), h = m.height();
        byte[] p = m.pixels();
        int[] lab = new int[p.length];
        int[] stack = new int[p.length];
        int next = 0;
        sizes.add(0);
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0 || lab[i] != 0) continue;
            next++;
            int size = 0, top = 0;
            stack[top++] = i;
            lab[i] = next;
            while (top > 0) {
                int c = stack[--top];
                size++;
                int cx = c % w, cy = c / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = cy + dy;
                    if (ny < 0 || ny >= h) continue;
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = cx + dx;
                        if (nx < 0 || nx >= w) continue;
                        int n = ny * w + nx;
                        if (p[n] != 0 && lab[n] == 0) {
                            lab[n] = next;
                            stack[top++] = n;
                        }
                    }
                }
            }
            sizes.add(size);
        }
        return lab;
    }

    /** Keeps the {@code k} largest 8-connected regions. */
    public static GrayImage keepLargest(GrayImage m, int k) {
        List<Integer> sizes = new ArrayList<>();
        int[] lab = label(m, sizes);
        Integer[] order = new Integer[sizes.size() - 1];
        for (int i = 0; i < order.length; i++) order[i] = i + 1;
        Arrays.sort(order, (a, b) -> sizes.get(b) - sizes.get(a));
        boolean[] keep = new boolean[sizes.size()];
        for (int i = 0; i < Math.min(k, order.length); i++) keep[order[i]] = true;
        byte[] out = new byte[lab.length];
        for (int i = 0; i < lab.length; i++) if (keep[lab[i]] && lab[i] != 0) out[i] = (byte) 255;
        return new GrayImage(m.width(), m.height(), out);
    }

    /** Fills background regions that do not touch the border (4-connected background). */
    public static GrayImage fillHoles(GrayImage m) {
        int w = m.width(), h = m.height();
        byte[] p = m.pixels();
        boolean[] outside = new boolean[p.length];
        int[] stack = new int[p.length];
        int top = 0;
        for (int x = 0; x < w; x++) { top = seed(p, outside, stack, top, x); top = seed(p, outside, stack, top, (h - 1) * w + x); }
        for (int y = 0; y < h; y++) { top = seed(p, outside, stack, top, y * w); top = seed(p, outside, stack, top, y * w + w - 1); }
        while (top > 0) {
            int c = stack[--top];
            int cx = c % w, cy = c / w;
            if (cx > 0) top = seed(p, outside, stack, top, c - 1);
            if (cx < w - 1) top = seed(p, outside, stack, top, c + 1);
            if (cy > 0) top = seed(p, outside, stack, top, c - w);
            if (cy < h - 1) top = seed(p, outside, stack, top, c + w);
        }
        byte[] out = new byte[p.length];
        for (int i = 0; i < p.length; i++) out[i] = (p[i] != 0 || !outside[i]) ? (byte) 255 : 0;
        return new GrayImage(w, h, out);
    }

    private static int seed(byte[] p, boolean[] outside, int[] stack, int top, int i) {
        if (p[i] == 0 && !outside[i]) {
            outside[i] = true;
            stack[top++] = i;
        }
        return top;
    }

    /** Smooths the outline: two box blurs of radius {@code r}, then a threshold at one half. */
    public static GrayImage smooth(GrayImage m, int r) {
        int w = m.width(), h = m.height();
        float[] a = new float[w * h];
        for (int i = 0; i < a.length; i++) a[i] = m.pixels()[i] != 0 ? 1f : 0f;
        for (int pass = 0; pass < 2; pass++) a = boxBlur(a, w, h, r);
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] >= 0.5f ? (byte) 255 : 0;
        return new GrayImage(w, h, out);
    }

    static float[] boxBlur(float[] a, int w, int h, int r) {
        float[] tmp = new float[a.length], out = new float[a.length];
        for (int y = 0; y < h; y++) {
            double acc = 0;
            int row = y * w;
            for (int x = -r; x <= r; x++) acc += a[row + Math.min(w - 1, Math.max(0, x))];
            for (int x = 0; x < w; x++) {
                tmp[row + x] = (float) (acc / (2 * r + 1));
                acc += a[row + Math.min(w - 1, x + r + 1)] - a[row + Math.max(0, x - r)];
            }
        }
        for (int x = 0; x < w; x++) {
            double acc = 0;
            for (int y = -r; y <= r; y++) acc += tmp[Math.min(h - 1, Math.max(0, y)) * w + x];
            for (int y = 0; y < h; y++) {
                out[y * w + x] = (float) (acc / (2 * r + 1));
                acc += tmp[Math.min(h - 1, y + r + 1) * w + x] - tmp[Math.max(0, y - r) * w + x];
            }
        }
        return out;
    }
}
