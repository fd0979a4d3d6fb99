package io.cxr4j.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PngEncoder's files read back through ImageIO, pixel for pixel, for each kind of image it takes. */
class PngEncoderTest {
    private static BufferedImage roundTrip(BufferedImage img) throws Exception {
        byte[] png = PngEncoder.encode(img);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(back, "ImageIO reads it as a PNG");
        assertEquals(img.getWidth(), back.getWidth());
        assertEquals(img.getHeight(), back.getHeight());
        return back;
    }

    @Test
    void rgbImagesOfOddSizesComeBackExactly() throws Exception {
        Random r = new Random(1);
        for (int[] wh : new int[][] {{1, 1}, {7, 3}, {3, 7}, {129, 65}}) {
            BufferedImage img = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < wh[1]; y++) for (int x = 0; x < wh[0]; x++) img.setRGB(x, y, r.nextInt(1 << 24));
            BufferedImage back = roundTrip(img);
            for (int y = 0; y < wh[1]; y++) {
                for (int x = 0; x < wh[0]; x++) assertEquals(img.getRGB(x, y) & 0xFFFFFF, back.getRGB(x, y) & 0xFFFFFF, x + "," + y);
            }
        }
    }

    @Test
    void greyImagesStayGreyAndComeBackExactly() throws Exception {
        Random r = new Random(2);
        GrayImage g = new GrayImage(33, 17);
        for (int i = 0; i < g.pixels().length; i++) g.pixels()[i] = (byte) r.nextInt(256);
        BufferedImage back = roundTrip(ImageWriter.toBufferedImage(g));
        assertEquals(1, back.getRaster().getNumBands(), "one channel");
        for (int y = 0; y < 17; y++) for (int x = 0; x < 33; x++) assertEquals(g.get(x, y), back.getRaster().getSample(x, y, 0));
    }

    @Test
    void otherTypesAreWrittenAsRgbWithoutAlpha() throws Exception {
        BufferedImage img = new BufferedImage(5, 4, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 5; x++) img.setRGB(x, y, 0x80000000 | (x * 50 << 16) | (y * 60 << 8) | 7);
        BufferedImage back = roundTrip(img);
        assertEquals(3, back.getRaster().getNumBands());
        for (int y = 0; y < 4; y++) for (int x = 0; x < 5; x++) assertEquals(img.getRGB(x, y) & 0xFFFFFF, back.getRGB(x, y) & 0xFFFFFF);
    }

    @Test
    void aSmoothPictureCompresses() {
        BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 256; y++) for (int x = 0; x < 256; x++) img.setRGB(x, y, (x << 16) | (y << 8) | 128);
        assertTrue(PngEncoder.encode(img).length < 256 * 256 * 3 / 10, "a gradient deflates to under a tenth");
    }
}
