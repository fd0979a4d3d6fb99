package io.cxr4j.image;

import io.cxr4j.util.AtomicFiles;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes PNG files atomically. */
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

    public static void writePng(BufferedImage img, Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer available");
        });
    }
}
