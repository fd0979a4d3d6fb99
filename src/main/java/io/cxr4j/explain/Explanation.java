package io.cxr4j.explain;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageOps.Rect;

/**
 * Where a classifier looked on one film: a Grad-CAM grid ({@code side x side}, non-negative) over the
 * model's input square, which covers {@code rect} of a {@code filmWidth x filmHeight} film, for class
 * {@code cls}; {@code inputRegion} is what the model saw of the input square (255 lung, at the input
 * size; all 255 for whole-image models).
 */
public record Explanation(int cls, float[] grid, int side, Rect rect, int filmWidth, int filmHeight, GrayImage inputRegion) {
    /** The heat over the film, 0-255 (its maximum at 255), 0 outside the input square. */
    public GrayImage filmHeat() {
        return HeatMaps.toGray(HeatMaps.sample(grid, side, side, rect, filmWidth, filmHeight), filmWidth, filmHeight);
    }

    /**
     * {@link #filmHeat()} for the same film shown at {@code w x h} (e.g. a smaller copy of it): the input square is
     * scaled with the film. At the film's own size it is {@link #filmHeat()}.
     */
    public GrayImage filmHeat(int w, int h) {
        if (w == filmWidth && h == filmHeight) return filmHeat();
        double sx = (double) w / filmWidth, sy = (double) h / filmHeight;
        Rect r = new Rect((int) Math.floor(rect.x0() * sx), (int) Math.floor(rect.y0() * sy),
                Math.max((int) Math.floor(rect.x0() * sx) + 1, (int) Math.ceil(rect.x1() * sx)),
                Math.max((int) Math.floor(rect.y0() * sy) + 1, (int) Math.ceil(rect.y1() * sy)));
        return HeatMaps.toGray(HeatMaps.sample(grid, side, side, r, w, h), w, h);
    }

    /** The heat at the model's input size (unscaled), pixel for pixel with {@link #inputRegion}. */
    public float[] inputHeat() {
        return HeatMaps.upsample(grid, side, side, inputRegion.width(), inputRegion.height());
    }

    /** The shares of heat inside the lungs and on their rim, at the input size ({@link HeatShare#BAND} px); null when no heat. */
    public HeatShare shares() {
        return HeatShare.of(inputHeat(), inputRegion, HeatShare.BAND);
    }
}
