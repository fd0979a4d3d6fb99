package io.cxr4j.image;

import io.cxr4j.util.BadInputException;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes X-ray files into 8-bit grey images. The format is sniffed from the content, not the
 * extension (the data has PNG bytes named {@code .jpg}). Colour becomes grey by ITU-R 601 luma (as
 * Pillow's {@code convert("L")}; colour JPEGs are decoded to their luma channel directly, see
 * {@code decodeImageIo}); alpha is ignored; 16-bit grey is stretched linearly from its
 * darkest to its brightest pixel onto 0..255. The header's dimensions are checked before any pixel
 * memory is allocated, so a file that claims to be enormous is refused cheaply.
 *
 * <p>DICOM Part 10 files (recognised by "DICM" at offset 128, whatever their name) are read through
 * {@link DicomReader}: uncompressed little endian, 8 or 16 bits, grey levels from the file's VOI LUT or
 * window, MONOCHROME1 inverted; see docs/dicom.md. Every entry point also takes the bytes of an upload,
 * so a server can decode one without writing it to disk.
 */
public final class ImageReader {
    /** Largest accepted image, in pixels (the biggest original X-ray here is about 4280 x 3520). */
    public static final long MAX_PIXELS = 80_000_000L;
    public static final int MAX_SIDE = 30_000;

    static {
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    private ImageReader() {}

    /** Width, height and format name from the header only. */
    public record Header(int width, int height, String format) {}

    public static Header header(Path file) throws BadInputException {
        if (isDicom(file)) return DicomReader.header(DicomReader.Source.of(file)).size();
        try (ImageInputStream iis = open(file)) {
            return imageIoHeader(iis);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("cannot read image header: " + describe(e), e);
        }
    }

    /** {@link #header(Path)} for bytes in memory; {@code nameForMessages} as in {@link #read(byte[], String)}. */
    public static Header header(byte[] data, String nameForMessages) throws BadInputException {
        checkBytes(data);
        if (DicomReader.isDicom(data)) return DicomReader.header(DicomReader.Source.of(data)).size();
        try (ImageInputStream iis = open(data)) {
            return imageIoHeader(iis);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("cannot read image header: " + describe(e), e);
        }
    }

    private static Header imageIoHeader(ImageInputStream iis) throws IOException, BadInputException {
        javax.imageio.ImageReader reader = readerFor(iis);
        try {
            reader.setInput(iis, true, true);
            return checkedHeader(reader);
        } finally {
            reader.dispose();
        }
    }

    /**
     * A decoded image and the format its content is in ("jpeg", "png", "dicom"), whatever the file is
     * named; for DICOM also the few header facts that identify no one ({@code dicom} is null otherwise).
     */
    /**
     * A decoded film: 8-bit grey, its format, DICOM header facts (null for PNG/JPEG) and how colourful the
     * source was ({@link #colourfulness(BufferedImage)}: 0 for grey sources; photographs score high, and
     * radiographs saved as colour files near 0), for the input check.
     */
    public record Decoded(GrayImage image, String format, DicomFacts dicom, double colourfulness) {
        public Decoded(GrayImage image, String format) { this(image, format, null, 0); }

        public Decoded(GrayImage image, String format, DicomFacts dicom) { this(image, format, dicom, 0); }
    }

    /**
     * The film's grey pixels only: the same pixels as {@code decode(file).image()}, without measuring
     * how colourful the source is (which needs a colour decode of colour JPEGs).
     */
    public static GrayImage read(Path file) throws BadInputException {
        return decodeFile(file, false).image();
    }

    /**
     * Decodes an image held in memory (an upload), PNG, JPEG or DICOM, exactly as {@link #read(Path)}
     * decodes a file. Like every reason here, the exception's message does not repeat
     * {@code nameForMessages}: the caller prints {@code <name>: <reason>}, as for files.
     */
    public static GrayImage read(byte[] data, String nameForMessages) throws BadInputException {
        checkBytes(data);
        if (DicomReader.isDicom(data)) return decodeDicom(DicomReader.Source.of(data)).image();
        return decodeImageIo(() -> open(data), false).image();
    }

    /** The header facts of a DICOM file (empty for PNG and JPEG), checked as for decoding but without reading pixels. */
    public static Optional<DicomFacts> dicomFacts(Path file) throws BadInputException {
        if (!isDicom(file)) return Optional.empty();
        return Optional.of(DicomReader.header(DicomReader.Source.of(file)).facts());
    }

    /** {@link #dicomFacts(Path)} for bytes in memory. */
    public static Optional<DicomFacts> dicomFacts(byte[] data, String nameForMessages) throws BadInputException {
        checkBytes(data);
        if (!DicomReader.isDicom(data)) return Optional.empty();
        return Optional.of(DicomReader.header(DicomReader.Source.of(data)).facts());
    }

    public static Decoded decode(Path file) throws BadInputException {
        return decodeFile(file, true);
    }

    /** Files up to this size are read into memory with one open and one read before decoding. */
    private static final long IN_MEMORY_LIMIT = 256L << 20;

    /**
     * Decodes a file. PNG and JPEG files (up to {@link #IN_MEMORY_LIMIT}) are read whole first: one
     * open and one read instead of sniffing the DICOM preamble, then checking and opening the file
     * again and reading it through ImageIO's file stream, which cost about a tenth of decoding a
     * 512 px JPEG. DICOM files are read by {@link DicomReader} from the file as before.
     */
    private static Decoded decodeFile(Path file, boolean measureColour) throws BadInputException {
        byte[] data = null;
        try {
            long size = checkFile(file);
            if (size <= IN_MEMORY_LIMIT) data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException("cannot open file: " + describe(e), e);
        }
        if (data == null) {
            if (isDicom(file)) return decodeDicom(DicomReader.Source.of(file));
            return decodeImageIo(() -> open(file), measureColour);
        }
        checkBytes(data);
        if (DicomReader.isDicom(data)) return decodeDicom(DicomReader.Source.of(file));
        byte[] bytes = data;
        return decodeImageIo(() -> open(bytes), measureColour);
    }

    /** Opens the stream to decode (a file or bytes); may be called twice for one decode. */
    private interface StreamSource {
        ImageInputStream open() throws IOException, BadInputException;
    }

    /** ImageIO decoding with every failure as a one-line reason. */
    private static Decoded decodeImageIo(StreamSource src, boolean measureColour) throws BadInputException {
        try (ImageInputStream iis = src.open()) {
            return decodeImageIo(iis, src, measureColour);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("cannot decode image: truncated or corrupt (" + describe(e) + ")", e);
        } catch (OutOfMemoryError e) {
            throw new BadInputException("image too large to decode in the available memory");
        }
    }

    /** {@link #decode(Path)} for bytes in memory; {@code nameForMessages} as in {@link #read(byte[], String)}. */
    public static Decoded decode(byte[] data, String nameForMessages) throws BadInputException {
        checkBytes(data);
        if (DicomReader.isDicom(data)) return decodeDicom(DicomReader.Source.of(data));
        return decodeImageIo(() -> open(data), true);
    }

    private static Decoded decodeDicom(DicomReader.Source src) throws BadInputException {
        DicomReader.Header h = DicomReader.header(src);
        try {
            return new Decoded(DicomReader.decode(src, h), DicomReader.FORMAT, h.facts());
        } catch (OutOfMemoryError e) {
            throw new BadInputException("image too large to decode in the available memory");
        }
    }

    private static final ImageTypeSpecifier GREY = ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_BYTE_GRAY);

    /**
     * Decodes with the stream's ImageIO reader. Three-channel (YCbCr) JPEGs are decoded straight to grey:
     * the codec keeps only the luma channel (Y), skipping the chroma channels' inverse DCT, upsampling
     * and colour conversion, which is about half the work for these files. Y is the ITU-R 601 luma the
     * encoder computed; it differs from the luma of the decoded RGB pixels only by rounding (one grey
     * level, in a few pixels per film) and where RGB was clipped (strongly coloured pixels). Where
     * {@code measureColour} is set and the file is such a JPEG, it is decoded a second time in colour
     * for {@link #colourfulness(BufferedImage)}, so the grey pixels never depend on the entry point.
     */
    private static Decoded decodeImageIo(ImageInputStream iis, StreamSource src, boolean measureColour)
            throws IOException, BadInputException {
        javax.imageio.ImageReader reader = readerFor(iis);
        try {
            reader.setInput(iis, true, true);
            Header header = checkedHeader(reader);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, msg) -> warnings.add(msg));
            ImageReadParam param = reader.getDefaultReadParam();
            boolean lumaOnly = header.format().equals("jpeg") && lumaDecodable(reader);
            if (lumaOnly) param.setDestinationType(GREY);
            BufferedImage img = reader.read(0, param);
            checkWarnings(warnings);
            double colour;
            if (!measureColour) colour = 0;
            else if (lumaOnly) colour = colourfulnessOfColourDecode(src);
            else colour = colourfulness(img);
            return new Decoded(grey(img), header.format(), null, colour);
        } finally {
            reader.dispose();
        }
    }

    /** Whether the JPEG has three colour channels and the reader offers 8-bit grey output for it. */
    private static boolean lumaDecodable(javax.imageio.ImageReader reader) throws IOException {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw == null || raw.getNumBands() != 3 || raw.getColorModel().hasAlpha()) return false;
        for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
            if (it.next().getBufferedImageType() == BufferedImage.TYPE_BYTE_GRAY) return true;
        }
        return false;
    }

    private static double colourfulnessOfColourDecode(StreamSource src) throws IOException, BadInputException {
        try (ImageInputStream iis = src.open()) {
            javax.imageio.ImageReader reader = readerFor(iis);
            try {
                reader.setInput(iis, true, true);
                return colourfulness(reader.read(0, reader.getDefaultReadParam()));
            } finally {
                reader.dispose();
            }
        }
    }

    private static void checkWarnings(List<String> warnings) throws BadInputException {
        for (String w : warnings) {
            String lw = w.toLowerCase();
            if (lw.contains("premature") || lw.contains("truncat") || lw.contains("corrupt")) {
                throw new BadInputException("truncated or corrupt image data (" + w.trim() + ")");
            }
        }
    }

    /** {@link #toGray}, but an 8-bit grey image whose buffer is exactly its pixels is taken without a copy. */
    private static GrayImage grey(BufferedImage img) {
        Raster r = img.getRaster();
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY && r.getDataBuffer() instanceof DataBufferByte dbb
                && dbb.getNumBanks() == 1 && dbb.getOffset() == 0 && r.getSampleModelTranslateX() == 0
                && r.getSampleModelTranslateY() == 0 && r.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && sm.getScanlineStride() == img.getWidth() && sm.getPixelStride() == 1
                && dbb.getData().length == img.getWidth() * img.getHeight()) {
            return new GrayImage(img.getWidth(), img.getHeight(), dbb.getData());
        }
        return toGray(img);
    }

    /** The file's size, after checking (with one stat) that it is a regular, non-empty file. */
    private static long checkFile(Path file) throws BadInputException, IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new BadInputException("file not found");
        }
        if (!a.isRegularFile()) throw new BadInputException("file not found");
        if (a.size() == 0) throw new BadInputException("empty file (0 bytes)");
        return a.size();
    }

    private static void checkBytes(byte[] data) throws BadInputException {
        if (data == null || data.length == 0) throw new BadInputException("empty file (0 bytes)");
    }

    /** Whether the file's content is DICOM Part 10 (after the same existence and size checks as any image). */
    private static boolean isDicom(Path file) throws BadInputException {
        try {
            checkFile(file);
            return DicomReader.isDicom(file);
        } catch (IOException e) {
            throw new BadInputException("cannot open file: " + describe(e), e);
        }
    }

    private static ImageInputStream open(Path file) throws BadInputException, IOException {
        checkFile(file);
        ImageInputStream iis = ImageIO.createImageInputStream(file.toFile());
        if (iis == null) throw new BadInputException("cannot open file");
        return iis;
    }

    private static ImageInputStream open(byte[] data) throws BadInputException, IOException {
        ImageInputStream iis = ImageIO.createImageInputStream(new ByteArrayInputStream(data));
        if (iis == null) throw new BadInputException("cannot open file");
        return iis;
    }

    private static javax.imageio.ImageReader readerFor(ImageInputStream iis) throws BadInputException, IOException {
        Iterator<javax.imageio.ImageReader> it = ImageIO.getImageReaders(iis);
        if (!it.hasNext()) {
            iis.seek(0);
            byte[] head = new byte[8];
            int n = iis.read(head);
            iis.seek(0);
            boolean text = n > 0;
            for (int i = 0; i < Math.max(n, 0); i++) {
                int b = head[i] & 0xFF;
                if (b < 9 || (b > 13 && b < 32) || b > 126) text = false;
            }
            throw new BadInputException("not an image: " + (text ? "looks like text" : "unknown format")
                    + " (expected JPEG, PNG or DICOM content)");
        }
        return it.next();
    }

    private static Header checkedHeader(javax.imageio.ImageReader reader) throws IOException, BadInputException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0) throw new BadInputException("image header has no valid size (" + w + "x" + h + ")");
        if (w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
            throw new TooLargeImageException("image header claims " + w + "x" + h + " pixels, above the limit of "
                    + MAX_SIDE + " px a side and " + MAX_PIXELS / 1_000_000 + " megapixels; refused without decoding");
        }
        return new Header(w, h, reader.getFormatName().toLowerCase());
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ').trim();
    }

    /** Converts any decoded image to 8-bit grey (public for tests and for in-memory images). */
    public static GrayImage toGray(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        byte[] out = new byte[Math.multiplyExact(w, h)];
        Raster r = img.getRaster();
        int type = img.getType();
        DataBuffer db = r.getDataBuffer();
        boolean simple = r.getSampleModel() instanceof PixelInterleavedSampleModel && r.getSampleModelTranslateX() == 0
                && r.getSampleModelTranslateY() == 0 && db.getNumBanks() == 1;
        if (type == BufferedImage.TYPE_BYTE_GRAY && simple && db instanceof DataBufferByte dbb
                && ((PixelInterleavedSampleModel) r.getSampleModel()).getScanlineStride() == w) {
            System.arraycopy(dbb.getData(), 0, out, 0, out.length);
            return new GrayImage(w, h, out);
        }
        if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR) && simple
                && db instanceof DataBufferByte dbb) {
            PixelInterleavedSampleModel sm = (PixelInterleavedSampleModel) r.getSampleModel();
            int[] off = sm.getBandOffsets(); // for these types: bands are R, G, B(, A) at these byte offsets
            int ps = sm.getPixelStride(), ss = sm.getScanlineStride();
            byte[] d = dbb.getData();
            for (int y = 0; y < h; y++) {
                int row = y * ss;
                for (int x = 0; x < w; x++) {
                    int p = row + x * ps;
                    out[y * w + x] = (byte) luma(d[p + off[0]] & 0xFF, d[p + off[1]] & 0xFF, d[p + off[2]] & 0xFF);
                }
            }
            return new GrayImage(w, h, out);
        }
        if (r.getNumBands() == 1 && db instanceof DataBufferUShort && img.getColorModel().getComponentSize(0) == 16) {
            int[] s = r.getSamples(0, 0, w, h, 0, (int[]) null);
            int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
            for (int v : s) { if (v < min) min = v; if (v > max) max = v; }
            double scale = max > min ? 255.0 / (max - min) : 0;
            for (int i = 0; i < s.length; i++) out[i] = (byte) (int) Math.round((s[i] - min) * scale);
            return new GrayImage(w, h, out);
        }
        if (r.getNumBands() == 1 && img.getColorModel() instanceof java.awt.image.ComponentColorModel) {
            // grey of another bit depth (1, 2, 4 bits): scale samples to 0..255
            int bits = img.getColorModel().getComponentSize(0);
            int maxv = (1 << bits) - 1;
            int[] s = r.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < s.length; i++) out[i] = (byte) Math.round(s[i] * 255.0 / maxv);
            return new GrayImage(w, h, out);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int c = row[x];
                out[y * w + x] = (byte) luma((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
            }
        }
        return new GrayImage(w, h, out);
    }

    /**
     * Hasler and Suesstrunk's colourfulness (2003) over at most about 65k sampled pixels: sqrt(sd_rg^2 +
     * sd_yb^2) + 0.3 sqrt(mean_rg^2 + mean_yb^2), with rg = R - G and yb = (R + G) / 2 - B. 0 for grey
     * images; about 15 is "slightly colourful", photographs are usually 30 or more.
     */
    public static double colourfulness(BufferedImage img) {
        if (img.getColorModel().getNumColorComponents() < 3) return 0;
        int w = img.getWidth(), h = img.getHeight();
        int step = Math.max(1, (int) Math.sqrt((double) w * h / 65536.0));
        double srg = 0, syb = 0, srg2 = 0, syb2 = 0;
        long n = 0;
        // the usual decoded types are read from their bytes (same values as getRGB, which is slow per pixel)
        Raster ras = img.getRaster();
        int type = img.getType();
        byte[] d = null;
        int[] off = null;
        int ps = 0, ss = 0;
        if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
                && ras.getSampleModel() instanceof PixelInterleavedSampleModel sm && ras.getDataBuffer() instanceof DataBufferByte dbb
                && dbb.getNumBanks() == 1 && dbb.getOffset() == 0 && ras.getSampleModelTranslateX() == 0 && ras.getSampleModelTranslateY() == 0) {
            d = dbb.getData();
            off = sm.getBandOffsets(); // R, G, B(, A) at these byte offsets
            ps = sm.getPixelStride();
            ss = sm.getScanlineStride();
        }
        for (int y = 0; y < h; y += step) {
            for (int x = 0; x < w; x += step) {
                int r, g, b;
                if (d != null) {
                    int p = y * ss + x * ps;
                    r = d[p + off[0]] & 0xFF;
                    g = d[p + off[1]] & 0xFF;
                    b = d[p + off[2]] & 0xFF;
                } else {
                    int c = img.getRGB(x, y);
                    r = (c >> 16) & 0xFF;
                    g = (c >> 8) & 0xFF;
                    b = c & 0xFF;
                }
                double rg = r - g, yb = 0.5 * (r + g) - b;
                srg += rg; syb += yb; srg2 += rg * rg; syb2 += yb * yb;
                n++;
            }
        }
        double mrg = srg / n, myb = syb / n;
        double vrg = Math.max(0, srg2 / n - mrg * mrg), vyb = Math.max(0, syb2 / n - myb * myb);
        return Math.sqrt(vrg + vyb) + 0.3 * Math.sqrt(mrg * mrg + myb * myb);
    }

    /** ITU-R 601-2 luma with Pillow's fixed-point rounding. */
    public static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }
}
