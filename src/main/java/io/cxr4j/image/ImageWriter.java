package io.cxr4j.image;

import io.cxr4j.util.AtomicFiles;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;

/** Writes PNG files atomically ({@link PngEncoder}). */
public final class ImageWriter {
    private ImageWriter() {}

    public static BufferedImage toBufferedImage(GrayImage img) {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] d = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
        System.arraycopy(img.pixels(), 0, d, 0, d.length);
        return bi;
    }

    public static void writePng(GrayImage img, Path target) throws IOException {
        writePng(toBufferedImage(img), target);
    }

    /** Writes {@link PngEncoder}'s PNG of the image atomically. */
    public static void writePng(BufferedImage img, Path target) throws IOException {
        AtomicFiles.writeBytes(target, PngEncoder.encode(img));
    }
}
