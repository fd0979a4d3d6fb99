package io.cxr4j.image;

import io.cxr4j.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageReaderTest {
    @TempDir
    Path dir;

    private static BufferedImage gradientRgb(int w, int h) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            int v = (x * 255) / (w - 1);
            bi.setRGB(x, y, (v << 16) | (v << 8) | v);
        }
        return bi;
    }

    private Path write(BufferedImage bi, String format, String name) throws IOException {
        Path p = dir.resolve(name);
        assertTrue(ImageIO.write(bi, format, p.toFile()), "writer for " + format);
        return p;
    }

    @Test
    void readsGreyAndColourPngAndJpeg() throws Exception {
        BufferedImage rgb = gradientRgb(64, 32);
        GrayImage png = ImageReader.read(write(rgb, "png", "a.png"));
        assertEquals(64, png.width());
        assertEquals(32, png.height());
        assertEquals(0, png.get(0, 5));
        assertEquals(255, png.get(63, 5));
        GrayImage jpg = ImageReader.read(write(rgb, "jpeg", "a.jpg"));
        assertEquals(128, jpg.get(32, 16), 6);

        BufferedImage argb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) argb.setRGB(x, y, 0x80FF0000); // half-transparent red
        GrayImage ga = ImageReader.read(write(argb, "png", "rgba.png"));
        assertEquals(ImageReader.luma(255, 0, 0), ga.get(3, 3)); // alpha ignored, red -> luma 76
    }

    @Test
    void readsPalettePng() throws Exception {
        byte[] r = {0, (byte) 255}, g = {0, (byte) 255}, b = {0, 0};
        IndexColorModel cm = new IndexColorModel(1, 2, r, g, b);
        BufferedImage pal = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_BINARY, cm);
        pal.setRGB(2, 2, 0xFFFFFF00);
        GrayImage gi = ImageReader.read(write(pal, "png", "pal.png"));
        assertEquals(ImageReader.luma(255, 255, 0), gi.get(2, 2));
        assertEquals(0, gi.get(0, 0));
    }

    @Test
    void sixteenBitGreyIsStretchedToFullRange() throws Exception {
        BufferedImage u16 = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster wr = u16.getRaster();
        int[] v = {1000, 2000, 3000, 1500};
        for (int x = 0; x < 4; x++) wr.setSample(x, 0, 0, v[x]);
        GrayImage g = ImageReader.read(write(u16, "png", "u16.png"));
        assertEquals(0, g.get(0, 0));
        assertEquals(128, g.get(1, 0));
        assertEquals(255, g.get(2, 0));
        assertEquals(64, g.get(3, 0));
    }

    @Test
    void progressiveJpegDecodes() throws Exception {
        BufferedImage rgb = gradientRgb(40, 40);
        Path p = dir.resolve("prog.jpg");
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(p.toFile())) {
            w.setOutput(out);
            ImageWriteParam param = w.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            w.write(null, new IIOImage(rgb, null, null), param);
        }
        w.dispose();
        GrayImage g = ImageReader.read(p);
        assertEquals(40, g.width());
        assertEquals(128, g.get(20, 20), 8);
    }

    @Test
    void cmykJpegDecodesToGrey() throws Exception {
        // a 4-channel JPEG (written from a raster, no colour conversion) is read as CMYK by TwelveMonkeys
        WritableRaster r = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) r.setPixel(x, y, new int[] {x * 16, x * 16, x * 16, 0});
        Path p = dir.resolve("cmyk.jpg");
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(p.toFile())) {
            w.setOutput(out);
            w.write(null, new IIOImage(r, null, null), w.getDefaultWriteParam());
        }
        w.dispose();
        GrayImage g = ImageReader.read(p);
        assertEquals(16, g.width());
        // the image varies from left to right; whatever the colour interpretation, it must not be flat
        assertTrue(Math.abs(g.get(0, 8) - g.get(15, 8)) > 50, "left " + g.get(0, 8) + " right " + g.get(15, 8));
    }

    @Test
    void formatIsSniffedFromContentNotExtension() throws Exception {
        Path p = write(gradientRgb(16, 16), "png", "really-a-png.jpg");
        ImageReader.Decoded d = ImageReader.decode(p);
        assertEquals("png", d.format());
        assertEquals(16, d.image().width());
    }

    @Test
    void zeroByteFileIsRefused() throws Exception {
        Path p = Files.createFile(dir.resolve("empty.png"));
        BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(p));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
    }

    @Test
    void textFileNamedPngIsRefused() throws Exception {
        Path p = dir.resolve("notes.png");
        Files.writeString(p, "this is not an image\n", StandardCharsets.UTF_8);
        BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(p));
        assertTrue(e.getMessage().contains("not an image") && e.getMessage().contains("text"), e.getMessage());
    }

    @Test
    void truncatedPngAndJpegAreRefused() throws Exception {
        BufferedImage rgb = gradientRgb(200, 200);
        for (String fmt : new String[] {"png", "jpeg"}) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ImageIO.write(rgb, fmt, bos);
            byte[] all = bos.toByteArray();
            Path p = dir.resolve("cut." + fmt);
            Files.write(p, Arrays.copyOf(all, all.length / 2));
            BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(p), fmt);
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), fmt + ": " + e.getMessage());
        }
    }

    @Test
    void hugeHeaderIsRefusedBeforeAllocating() throws Exception {
        Path p = dir.resolve("bomb.png");
        Files.write(p, pngWithHeader(100_000, 100_000));
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(p));
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < 500_000_000L, "must not allocate the claimed 10 GB image");
        assertThrows(BadInputException.class, () -> ImageReader.header(p));
    }

    @Test
    void pngAndJpegBytesDecodeLikeTheirFiles() throws Exception {
        BufferedImage rgb = gradientRgb(48, 24);
        for (String fmt : new String[] {"png", "jpeg"}) {
            Path p = write(rgb, fmt, "bytes." + fmt);
            byte[] data = Files.readAllBytes(p);
            ImageReader.Decoded d = ImageReader.decode(data, "upload");
            assertEquals(fmt, d.format());
            assertEquals(ImageReader.read(p), d.image());
            assertEquals(ImageReader.header(p), ImageReader.header(data, "upload"));
            assertTrue(ImageReader.dicomFacts(data, "upload").isEmpty());
            BadInputException e = assertThrows(BadInputException.class,
                    () -> ImageReader.read(Arrays.copyOf(data, data.length / 2), "upload"), fmt);
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), fmt + ": " + e.getMessage());
        }
        BadInputException e = assertThrows(BadInputException.class, () -> ImageReader.read(pngWithHeader(100_000, 100_000), "upload"));
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ImageReader.read("just text\n".getBytes(StandardCharsets.UTF_8), "upload"));
        assertTrue(e.getMessage().contains("not an image") && e.getMessage().contains("text"), e.getMessage());
    }

    /** A colourful picture: hue across, brightness down, some noise (so the JPEG has real chroma). */
    private static BufferedImage colourful(int w, int h, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            float hue = (float) x / w, bright = 0.2f + 0.8f * y / h;
            int c = java.awt.Color.HSBtoRGB(hue, 0.2f + 0.6f * (x % 7) / 7f, bright);
            bi.setRGB(x, y, c ^ rnd.nextInt(8) * 0x010101);
        }
        return bi;
    }

    @Test
    void colourJpegGreyIsItsLumaChannelAndTheSameThroughEveryEntryPoint() throws Exception {
        Path p = write(colourful(96, 80, 3), "jpeg", "colour.jpg");
        GrayImage viaRead = ImageReader.read(p);
        ImageReader.Decoded d = ImageReader.decode(p);
        assertEquals(viaRead, d.image());
        assertEquals(viaRead, ImageReader.read(Files.readAllBytes(p), "upload"));
        assertEquals(viaRead, ImageReader.decode(Files.readAllBytes(p), "upload").image());
        // against the luma of the decoded RGB pixels (Pillow's convert("L")): rounding, except where the
        // colour decode clipped R, G or B (strongly coloured pixels, which this picture has on purpose)
        GrayImage fromRgb = ImageReader.toGray(ImageIO.read(p.toFile()));
        long sum = 0;
        int beyondOne = 0;
        for (int i = 0; i < viaRead.pixels().length; i++) {
            int diff = Math.abs((viaRead.pixels()[i] & 0xFF) - (fromRgb.pixels()[i] & 0xFF));
            sum += diff;
            if (diff > 1) beyondOne++;
        }
        double n = viaRead.pixels().length;
        assertTrue(sum / n < 0.5, "mean grey difference " + sum / n);
        assertTrue(beyondOne < n / 50, beyondOne + " of " + n + " pixels differ by more than one level");
        // the colourfulness is that of the colour decode, exactly as before
        assertEquals(ImageReader.colourfulness(ImageIO.read(p.toFile())), d.colourfulness(), 0.0);
        assertTrue(d.colourfulness() > 10, "colourfulness " + d.colourfulness());
    }

    @Test
    void colourfulnessReadsInterleavedBytesLikeGetRgb() {
        BufferedImage ref = colourful(300, 257, 5); // TYPE_INT_RGB: measured through getRGB
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage same = new BufferedImage(ref.getWidth(), ref.getHeight(), type);
            same.getGraphics().drawImage(ref, 0, 0, null);
            assertEquals(ImageReader.colourfulness(ref), ImageReader.colourfulness(same), 0.0, "type " + type);
        }
        assertEquals(0.0, ImageReader.colourfulness(new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY)), 0.0);
    }

    /** A syntactically valid PNG whose IHDR claims w x h grey pixels, with a tiny IDAT. */
    static byte[] pngWithHeader(int w, int h) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {8, 0, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater def = new Deflater();
        def.setInput(new byte[1000]);
        def.finish();
        byte[] buf = new byte[2000];
        int n = def.deflate(buf);
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return bos.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
