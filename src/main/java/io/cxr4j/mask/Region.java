package io.cxr4j.mask;

import java.util.List;

/**
 * One annotated region: a class name ({@code Lung}, {@code Ignore}, ...) and one or more closed paths,
 * each stored as interleaved {@code x0, y0, x1, y1, ...} in pixel-corner coordinates (pixel (row i,
 * column j) covers x in [j, j+1], y in [i, i+1]). Several paths are combined with the even-odd rule.
 */
public record Region(String name, List<double[]> paths) {
    public static final String LUNG = "Lung";
    public static final String IGNORE = "Ignore";

    public Region {
        paths = List.copyOf(paths);
    }

    public boolean isLung() { return LUNG.equalsIgnoreCase(name); }

    public boolean isIgnore() { return IGNORE.equalsIgnoreCase(name); }
}
