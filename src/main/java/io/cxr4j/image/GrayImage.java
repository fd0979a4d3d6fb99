package io.cxr4j.image;

import java.util.Arrays;

/**
 * An 8-bit single-channel image: row-major, one unsigned byte per pixel. Used for X-rays (0 = black)
 * and for masks (0 = background, 255 = lung, other values as documented by the producer).
 */
public final class GrayImage {
    private final int width;
    private final int height;
    private final byte[] pixels;

    public GrayImage(int width, int height, byte[] pixels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (pixels.length != (long) width * height) {
            throw new IllegalArgumentException("pixel buffer has " + pixels.length + " bytes, expected " + width * height);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    public GrayImage(int width, int height) {
        this(width, height, new byte[Math.multiplyExact(width, height)]);
    }

    public int width() { return width; }

    public int height() { return height; }

    /** The backing buffer (not a copy): callers that keep the image must not mutate it afterwards. */
    public byte[] pixels() { return pixels; }

    public int get(int x, int y) { return pixels[y * width + x] & 0xFF; }

    public void set(int x, int y, int value) { pixels[y * width + x] = (byte) value; }

    public GrayImage copy() { return new GrayImage(width, height, pixels.clone()); }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage g && g.width == width && g.height == height && Arrays.equals(g.pixels, pixels);
    }

    @Override
    public int hashCode() { return 31 * (31 * width + height) + Arrays.hashCode(pixels); }

    @Override
    public String toString() { return "GrayImage[" + width + "x" + height + "]"; }
}
