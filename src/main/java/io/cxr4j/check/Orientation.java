package io.cxr4j.check;

import io.cxr4j.image.GrayImage;

/** Pure turns and grey-scale inversion of a film, for the check's training views and its corrections. */
public final class Orientation {
    private Orientation() {}

    /** The image turned clockwise by {@code quarters} quarter turns (0-3). */
    public static GrayImage turnClockwise(GrayImage img, int quarters) {
        int q = ((quarters % 4) + 4) % 4;
        if (q == 0) return img;
        int w = img.width(), h = img.height();
        byte[] src = img.pixels();
        int nw = q == 2 ? w : h, nh = q == 2 ? h : w;
        byte[] out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int nx, ny;
                switch (q) {
                    case 1 -> { nx = h - 1 - y; ny = x; }
                    case 2 -> { nx = w - 1 - x; ny = h - 1 - y; }
                    default -> { nx = y; ny = w - 1 - x; }
                }
                out[ny * nw + nx] = src[y * w + x];
            }
        }
        return new GrayImage(nw, nh, out);
    }

    /** 255 - v for every pixel (how a MONOCHROME1 film looks when read raw). */
    public static GrayImage invert(GrayImage img) {
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) out[i] = (byte) (255 - (src[i] & 0xFF));
        return new GrayImage(img.width(), img.height(), out);
    }

    /** Applies the view a check kind names to an upright film (for training views and tests). */
    public static GrayImage view(GrayImage upright, CheckKind kind) {
        return switch (kind) {
            case TURNED_90 -> turnClockwise(upright, 1);
            case TURNED_180 -> turnClockwise(upright, 2);
            case TURNED_270 -> turnClockwise(upright, 3);
            case INVERTED -> invert(upright);
            default -> upright;
        };
    }

    /** Undoes {@link #view} for a correctable kind. */
    public static GrayImage correct(GrayImage seen, CheckKind kind) {
        return switch (kind) {
            case TURNED_90 -> turnClockwise(seen, 3);
            case TURNED_180 -> turnClockwise(seen, 2);
            case TURNED_270 -> turnClockwise(seen, 1);
            case INVERTED -> invert(seen);
            default -> seen;
        };
    }

    /** The sentence that says what was corrected. */
    public static String correctionNote(CheckKind kind) {
        return switch (kind) {
            case TURNED_90 -> "film was turned 90 degrees clockwise; turned back before analysis";
            case TURNED_180 -> "film was upside down (turned 180 degrees); turned back before analysis";
            case TURNED_270 -> "film was turned 90 degrees anticlockwise; turned back before analysis";
            case INVERTED -> "grey scale was inverted (as a MONOCHROME1 film read raw); inverted back before analysis";
            default -> throw new IllegalArgumentException(kind + " is not correctable");
        };
    }
}
