package io.cxr4j.image;

import io.cxr4j.util.BadInputException;
import ij.io.FileInfo;
import ij.plugin.DICOM;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DICOM Part 10 files to 8-bit grey, on top of ImageJ ({@code net.imagej:ij}): ImageJ's DICOM decoder
 * parses the header (its tag listing, read here by tag number) and ImageJ's raw reader reads the
 * pixels; the code here only checks what ImageJ found and turns stored values into grey levels:
 * Bits Stored / High Bit / Pixel Representation, Rescale Slope/Intercept, then the VOI LUT, else the
 * first window ImageJ reports, else a 0.5th–99.5th percentile stretch, and MONOCHROME1 inverted.
 * See docs/dicom.md.
 *
 * <p>Patient identity never leaves this class: ImageJ's listing holds every tag (names, IDs, dates),
 * so it is only ever searched for the few tags named below, and no message here quotes it, ImageJ's
 * own exception texts, or any free-text value. ImageJ is only called on paths that neither log nor
 * show dialogs ({@code DICOM.getInfo} with errors off, {@code ij.io.ImageReader} on in-memory bytes).
 */
final class DicomReader {
    static final String FORMAT = "dicom";
    private static final int MAGIC_OFFSET = 128;
    /** ImageJ's decoder shares static scratch buffers (tag-name lookup), so one header at a time. */
    private static final Object IMAGEJ = new Object();

    // tags, as ImageJ lists them ("gggg,eeee  Name: value")
    private static final int TRANSFER_SYNTAX = 0x00020010, MODALITY = 0x00080060, BODY_PART = 0x00180015,
            VIEW_POSITION = 0x00185101, SAMPLES = 0x00280002, PHOTOMETRIC = 0x00280004, FRAMES = 0x00280008,
            ROWS = 0x00280010, COLUMNS = 0x00280011, BITS_ALLOCATED = 0x00280100, BITS_STORED = 0x00280101,
            HIGH_BIT = 0x00280102, PIXEL_REPRESENTATION = 0x00280103, WINDOW_CENTER = 0x00281050,
            WINDOW_WIDTH = 0x00281051, RESCALE_INTERCEPT = 0x00281052, RESCALE_SLOPE = 0x00281053,
            VOI_LUT_FUNCTION = 0x00281056, MODALITY_LUT_SEQUENCE = 0x00283000, LUT_DESCRIPTOR = 0x00283002,
            LUT_DATA = 0x00283006, VOI_LUT_SEQUENCE = 0x00283010, FLOAT_PIXEL_DATA = 0x7FE00008,
            DOUBLE_PIXEL_DATA = 0x7FE00009, PIXEL_DATA = 0x7FE00010;

    /** Tags that fix the pixel layout: a file that gives one of them twice, differently, is refused. */
    private static final Map<Integer, String> LAYOUT = Map.of(SAMPLES, "Samples per Pixel", PHOTOMETRIC,
            "Photometric Interpretation", FRAMES, "Number of Frames", ROWS, "Rows", COLUMNS, "Columns", BITS_ALLOCATED,
            "Bits Allocated", BITS_STORED, "Bits Stored", HIGH_BIT, "High Bit", PIXEL_REPRESENTATION, "Pixel Representation",
            TRANSFER_SYNTAX, "Transfer Syntax UID");

    static final String IMPLICIT_LE = "1.2.840.10008.1.2", EXPLICIT_LE = "1.2.840.10008.1.2.1";

    /** Transfer syntaxes that cxr4j names when it refuses them (ImageJ decodes none of them). */
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();
    static {
        REFUSED.put("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian");
        REFUSED.put("1.2.840.10008.1.2.2", "Explicit VR Big Endian");
        REFUSED.put("1.2.840.10008.1.2.4.50", "JPEG Baseline");
        REFUSED.put("1.2.840.10008.1.2.4.51", "JPEG Extended");
        REFUSED.put("1.2.840.10008.1.2.4.57", "JPEG Lossless");
        REFUSED.put("1.2.840.10008.1.2.4.70", "JPEG Lossless SV1");
        REFUSED.put("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless");
        REFUSED.put("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless");
        REFUSED.put("1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless");
        REFUSED.put("1.2.840.10008.1.2.4.91", "JPEG 2000");
        REFUSED.put("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Lossless");
        REFUSED.put("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2");
        REFUSED.put("1.2.840.10008.1.2.4.201", "HTJ2K Lossless");
        REFUSED.put("1.2.840.10008.1.2.4.202", "HTJ2K Lossless RPCL");
        REFUSED.put("1.2.840.10008.1.2.4.203", "HTJ2K");
        REFUSED.put("1.2.840.10008.1.2.4.110", "JPEG XL Lossless");
        REFUSED.put("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression");
        REFUSED.put("1.2.840.10008.1.2.4.112", "JPEG XL");
        REFUSED.put("1.2.840.10008.1.2.5", "RLE Lossless");
    }

    private DicomReader() {}

    /** The bytes of one input: a file, read in place, or an in-memory upload. */
    record Source(Path file, byte[] data) {
        static Source of(Path file) { return new Source(file, null); }

        static Source of(byte[] data) { return new Source(null, data); }

        long length() throws IOException { return data != null ? data.length : Files.size(file); }

        InputStream open() throws IOException {
            return new EofFailing(data != null ? new ByteArrayInputStream(data) : Files.newInputStream(file));
        }

        /** Exactly n bytes from offset, in memory (so that ImageJ's reader cannot meet an I/O error and log it). */
        InputStream slice(long offset, int n) throws IOException {
            if (data != null) {
                if (offset + n > data.length) throw new EOFException();
                return new ByteArrayInputStream(data, (int) offset, n);
            }
            byte[] buf = new byte[n];
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer bb = ByteBuffer.wrap(buf);
                long pos = offset;
                while (bb.hasRemaining()) {
                    int r = ch.read(bb, pos);
                    if (r < 0) throw new EOFException();
                    pos += r;
                }
            }
            return new ByteArrayInputStream(buf);
        }
    }

    /**
     * Throws at the end of the data instead of returning -1. ImageJ's decoder skips unwanted elements
     * with {@code while (n > 0) n -= in.skip(n)}, which never ends on a file cut inside such an element
     * (a buffered stream's skip returns 0 at the end); this makes it fail with "EOF" instead.
     */
    private static final class EofFailing extends FilterInputStream {
        EofFailing(InputStream in) { super(in); }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) throw new EOFException("unexpected EOF");
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) throw new EOFException("unexpected EOF");
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            if (s <= 0 && n > 0 && super.read() < 0) throw new EOFException("unexpected EOF");
            return s <= 0 && n > 0 ? 1 : s;
        }
    }

    /** A Part 10 file: "DICM" at offset 128 (PNG and JPEG signatures win, whatever follows them). */
    static boolean isDicom(byte[] head, int n) {
        if (n < MAGIC_OFFSET + 4) return false;
        if ((head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') return false;
        if ((head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) return false;
        return head[MAGIC_OFFSET] == 'D' && head[MAGIC_OFFSET + 1] == 'I' && head[MAGIC_OFFSET + 2] == 'C'
                && head[MAGIC_OFFSET + 3] == 'M';
    }

    static boolean isDicom(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC_OFFSET + 4);
            return isDicom(head, head.length);
        }
    }

    static boolean isDicom(byte[] data) { return isDicom(data, data.length); }

    record Window(double center, double width, String function) {}

    record Lut(int first, int bits, int[] data) {}

    /** What decoding needs from the header; {@code window} and {@code lut} may be null. */
    record Header(DicomFacts facts, int highBit, long pixelOffset, double slope, double intercept, Window window, Lut lut) {
        ImageReader.Header size() { return new ImageReader.Header(facts.columns(), facts.rows(), FORMAT); }
    }

    private record Entry(int tag, boolean nested, String value) {}

    /** ImageJ's listing of the header, one entry per element in file order. Never shown to anyone. */
    private static List<Entry> listing(Source src) throws BadInputException {
        String info;
        synchronized (IMAGEJ) {
            try (InputStream in = src.open()) {
                // getInfo runs the decoder with error dialogs off; the name is ImageJ's label, not the file's
                info = new DICOM(in).getInfo("input.dcm");
            } catch (IOException | RuntimeException e) {
                // ImageJ's own texts are not passed on (nor chained): they could quote header values
                throw new BadInputException("cannot read the DICOM header (corrupt or truncated)");
            } catch (OutOfMemoryError e) {
                throw new BadInputException("cannot read the DICOM header (an element claims more memory than there is)");
            }
        }
        List<Entry> out = new ArrayList<>();
        if (info == null) return out;
        for (String line : info.split("\n")) {
            if (line.length() < 11 || line.charAt(4) != ',') continue;
            int tag;
            try {
                tag = (int) Long.parseLong(line.substring(0, 4) + line.substring(5, 9), 16);
            } catch (NumberFormatException e) {
                continue;
            }
            String rest = line.substring(9).strip();
            boolean nested = rest.startsWith(">");
            int colon = rest.indexOf(": ");
            out.add(new Entry(tag, nested, colon < 0 ? "" : rest.substring(colon + 2).strip()));
        }
        return out;
    }

    static Header header(Source src) throws BadInputException {
        List<Entry> entries = listing(src);
        Map<Integer, List<String>> top = new LinkedHashMap<>();
        String lutDescriptor = null, lutData = null;
        int lutSequence = 0; // the LUT sequence the last LUT Descriptor/Data belongs to (ImageJ flattens sequences)
        for (Entry e : entries) {
            if (e.tag() == VOI_LUT_SEQUENCE || e.tag() == MODALITY_LUT_SEQUENCE) lutSequence = e.tag();
            if (lutSequence == VOI_LUT_SEQUENCE && e.tag() == LUT_DESCRIPTOR && lutDescriptor == null) lutDescriptor = e.value();
            if (lutSequence == VOI_LUT_SEQUENCE && e.tag() == LUT_DATA && lutData == null) lutData = e.value();
            if (!e.nested()) top.computeIfAbsent(e.tag(), k -> new ArrayList<>()).add(e.value());
        }

        String ts = first(top, TRANSFER_SYNTAX).strip();
        if (!ts.isEmpty() && !ts.equals(IMPLICIT_LE) && !ts.equals(EXPLICIT_LE)) {
            String name = REFUSED.get(ts);
            if (name == null) {
                throw new BadInputException("DICOM transfer syntax " + (isUid(ts) ? ts : "(not a valid UID)")
                        + " is not supported (only uncompressed little endian)");
            }
            if (name.startsWith("JPEG") || name.startsWith("HTJ2K") || name.startsWith("RLE") || name.startsWith("Deflated")) {
                throw new BadInputException("compressed DICOM (" + name + ", " + ts + ") is not supported");
            }
            throw new BadInputException("DICOM transfer syntax " + name + " (" + ts + ") is not supported");
        }
        if (top.containsKey(FLOAT_PIXEL_DATA) || top.containsKey(DOUBLE_PIXEL_DATA)) {
            throw new BadInputException("DICOM with floating-point pixel data is not supported");
        }
        for (Map.Entry<Integer, String> l : LAYOUT.entrySet()) {
            List<String> v = top.get(l.getKey());
            if (v != null && v.stream().distinct().count() > 1) {
                throw new BadInputException("inconsistent DICOM header: " + l.getValue() + " is given twice with different values");
            }
        }
        List<String> pixelData = top.getOrDefault(PIXEL_DATA, List.of());
        long offset = pixelData.size() == 1 ? parseLong(pixelData.get(0), -1) : -1;
        if (pixelData.size() > 1) throw new BadInputException("inconsistent DICOM header: more than one Pixel Data element");
        if (offset <= MAGIC_OFFSET) {
            throw new BadInputException("truncated or not an image: no pixel data in this DICOM file");
        }

        int samples = (int) parseLong(first(top, SAMPLES), 1);
        String photometric = code(first(top, PHOTOMETRIC));
        if (photometric.isEmpty()) photometric = "MONOCHROME2";
        if (samples != 1 || !(photometric.equals("MONOCHROME1") || photometric.equals("MONOCHROME2"))) {
            throw new BadInputException("colour DICOM (Photometric Interpretation " + (photometric.isEmpty() ? "?" : photometric)
                    + ", " + samples + " samples per pixel) is not supported; expected MONOCHROME1 or MONOCHROME2");
        }
        long frames = parseLong(first(top, FRAMES), 1);
        if (frames != 1) throw new BadInputException("multi-frame DICOM (" + frames + " frames) is not supported");

        long rows = parseLong(first(top, ROWS), 0), cols = parseLong(first(top, COLUMNS), 0);
        if (rows <= 0 || cols <= 0) throw new BadInputException("DICOM header has no valid size (" + cols + "x" + rows + ")");
        if (cols > ImageReader.MAX_SIDE || rows > ImageReader.MAX_SIDE || cols * rows > ImageReader.MAX_PIXELS) {
            throw new TooLargeImageException("image header claims " + cols + "x" + rows + " pixels, above the limit of "
                    + ImageReader.MAX_SIDE + " px a side and " + ImageReader.MAX_PIXELS / 1_000_000 + " megapixels; refused without decoding");
        }

        int allocated = (int) parseLong(first(top, BITS_ALLOCATED), 16);
        int stored = (int) parseLong(first(top, BITS_STORED), allocated);
        int highBit = (int) parseLong(first(top, HIGH_BIT), stored - 1);
        long representation = parseLong(first(top, PIXEL_REPRESENTATION), 0);
        if ((allocated != 8 && allocated != 16) || stored < 1 || stored > allocated || highBit < stored - 1 || highBit >= allocated
                || (representation != 0 && representation != 1)) {
            throw new BadInputException("unsupported DICOM pixel layout (Bits Allocated " + allocated + ", Bits Stored " + stored
                    + ", High Bit " + highBit + ", Pixel Representation " + representation + "); expected 8 or 16 bits allocated");
        }
        boolean signed = representation == 1;

        double slope = parseDouble(first(top, RESCALE_SLOPE), 1.0);
        double intercept = parseDouble(first(top, RESCALE_INTERCEPT), 0.0);
        if (Double.isNaN(slope) || slope == 0 || Double.isInfinite(slope)) throw new BadInputException("invalid Rescale Slope in the DICOM header");
        if (Double.isNaN(intercept) || Double.isInfinite(intercept)) throw new BadInputException("invalid Rescale Intercept in the DICOM header");

        Lut lut = lut(lutDescriptor, lutData, signed || intercept < 0);
        Window window = window(first(top, WINDOW_CENTER), first(top, WINDOW_WIDTH), code(first(top, VOI_LUT_FUNCTION)));

        long needed = cols * rows * (allocated / 8);
        long have;
        try {
            have = src.length() - offset;
        } catch (IOException e) {
            throw new BadInputException("cannot read file size");
        }
        if (have < needed) {
            throw new BadInputException("truncated DICOM: the pixel data ends after " + Math.max(have, 0) + " of " + needed + " bytes");
        }
        DicomFacts facts = new DicomFacts(ts, code(first(top, MODALITY)), code(first(top, BODY_PART)), code(first(top, VIEW_POSITION)),
                photometric, (int) rows, (int) cols, allocated, stored, signed, lut != null ? "VOI LUT" : window != null ? "window" : "min-max");
        return new Header(facts, highBit, offset, slope, intercept, window, lut);
    }

    static GrayImage decode(Source src, Header h) throws BadInputException {
        DicomFacts f = h.facts();
        int w = f.columns(), ht = f.rows();
        int needed = Math.toIntExact((long) w * ht * (f.bitsAllocated() / 8));
        FileInfo fi = new FileInfo();
        fi.fileType = f.bitsAllocated() == 8 ? FileInfo.GRAY8 : FileInfo.GRAY16_UNSIGNED; // raw; sign and bits are handled below
        fi.width = w;
        fi.height = ht;
        fi.offset = 0;
        fi.nImages = 1;
        fi.intelByteOrder = true;
        Object pixels;
        try (InputStream in = src.slice(h.pixelOffset(), needed)) {
            pixels = new ij.io.ImageReader(fi).readPixels(in);
        } catch (IOException e) {
            throw new BadInputException("truncated DICOM: cannot read the pixel data");
        }
        if (pixels == null) throw new BadInputException("cannot decode the DICOM pixel data");
        return toGrey(f, h, pixels);
    }

    /** Stored values (after Bits Stored / High Bit / sign) to grey levels through one table per possible value. */
    private static GrayImage toGrey(DicomFacts f, Header h, Object pixels) {
        int n = f.rows() * f.columns();
        int bits = f.bitsStored();
        int shift = h.highBit() + 1 - bits;
        int mask = (1 << bits) - 1;
        int offset = f.signed() ? 1 << (bits - 1) : 0; // table index = stored value + offset
        byte[] b8 = pixels instanceof byte[] b ? b : null;
        short[] s16 = pixels instanceof short[] s ? s : null;
        int[] counts = new int[1 << bits];
        for (int i = 0; i < n; i++) counts[index(raw(b8, s16, i), shift, mask, f.signed(), bits)]++;

        double[] voi = voiRange(f, h, counts, offset, n);
        byte[] table = new byte[1 << bits];
        for (int i = 0; i < table.length; i++) {
            double m = (i - offset) * h.slope() + h.intercept();
            double y;
            if (h.lut() != null) y = lut(h.lut(), m);
            else if (h.window() != null) y = window(h.window(), m);
            else y = voi[1] > voi[0] ? (m - voi[0]) / (voi[1] - voi[0]) * 255.0 : 0;
            int g = (int) Math.round(Math.max(0, Math.min(255, y)));
            table[i] = (byte) (f.photometricInterpretation().equals("MONOCHROME1") ? 255 - g : g);
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = table[index(raw(b8, s16, i), shift, mask, f.signed(), bits)];
        return new GrayImage(f.columns(), f.rows(), out);
    }

    private static int raw(byte[] b8, short[] s16, int i) { return b8 != null ? b8[i] & 0xFF : s16[i] & 0xFFFF; }

    /** The stored value's table index: its bits picked out by High Bit / Bits Stored, two's complement offset when signed. */
    private static int index(int raw, int shift, int mask, boolean signed, int bits) {
        int v = (raw >>> shift) & mask;
        return signed ? v ^ (1 << (bits - 1)) : v; // flipping the sign bit maps -2^(b-1)..2^(b-1)-1 onto 0..2^b-1
    }

    /** Robust min–max in modality values: the 0.5th and 99.5th percentiles, else the extremes. */
    private static double[] voiRange(DicomFacts f, Header h, int[] counts, int offset, int n) {
        if (h.lut() != null || h.window() != null) return new double[2];
        long kLo = (long) Math.floor(0.005 * (n - 1)), kHi = (long) Math.ceil(0.995 * (n - 1));
        int lo = rank(counts, kLo), hi = rank(counts, kHi);
        if (hi <= lo) {
            lo = rank(counts, 0);
            hi = rank(counts, n - 1L);
        }
        double a = (lo - offset) * h.slope() + h.intercept(), b = (hi - offset) * h.slope() + h.intercept();
        return new double[] {Math.min(a, b), Math.max(a, b)};
    }

    /** The table index of the k-th smallest stored value (0-based). */
    private static int rank(int[] counts, long k) {
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen > k) return i;
        }
        return counts.length - 1;
    }

    /** DICOM PS3.3 C.11.2.1.2: LINEAR (default), LINEAR_EXACT and SIGMOID windows onto 0..255. */
    static double window(Window w, double x) {
        double c = w.center(), width = w.width();
        switch (w.function()) {
            case "LINEAR_EXACT" -> {
                if (x <= c - width / 2) return 0;
                if (x > c + width / 2) return 255;
                return ((x - c) / width + 0.5) * 255;
            }
            case "SIGMOID" -> {
                return 255 / (1 + Math.exp(-4 * (x - c) / width));
            }
            default -> {
                if (x <= c - 0.5 - (width - 1) / 2) return 0;
                if (x > c - 0.5 + (width - 1) / 2) return 255;
                return width <= 1 ? 255 : ((x - (c - 0.5)) / (width - 1) + 0.5) * 255;
            }
        }
    }

    private static double lut(Lut lut, double x) {
        long i = Math.round(x) - lut.first();
        int idx = (int) Math.max(0, Math.min(lut.data().length - 1, i));
        return lut.data()[idx] * 255.0 / ((1 << lut.bits()) - 1);
    }

    private static Window window(String center, String width, String function) {
        double c = parseDouble(firstValue(center), Double.NaN), w = parseDouble(firstValue(width), Double.NaN);
        if (Double.isNaN(c) || Double.isNaN(w) || Double.isInfinite(c) || Double.isInfinite(w)) return null;
        boolean linear = !function.equals("LINEAR_EXACT") && !function.equals("SIGMOID");
        if (linear ? w < 1 : w <= 0) return null;
        return new Window(c, w, function);
    }

    /** The VOI LUT when ImageJ lists both its descriptor and all its entries (it does not list OW-encoded LUT Data). */
    private static Lut lut(String descriptor, String data, boolean signedInput) {
        if (descriptor == null || data == null || data.isBlank()) return null;
        String[] d = descriptor.trim().split("\\s+");
        if (d.length != 3) return null;
        long entries = parseLong(d[0], -1), first = parseLong(d[1], Long.MIN_VALUE), bits = parseLong(d[2], -1);
        if (entries < 0 || entries > 65535 || first == Long.MIN_VALUE || bits < 1 || bits > 16) return null;
        if (entries == 0) entries = 65536;
        if (signedInput && first > 32767) first -= 65536;
        String[] v = data.trim().split("\\s+");
        if (v.length != entries) return null;
        int[] table = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            long x = parseLong(v[i], -1);
            if (x < 0 || x > 65535) return null;
            table[i] = (int) Math.min(x, (1L << bits) - 1);
        }
        return new Lut((int) first, (int) bits, table);
    }

    private static String first(Map<Integer, List<String>> top, int tag) {
        List<String> v = top.get(tag);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    /** ImageJ drops a multi-valued window's first value and lists the rest; take what it lists first. */
    private static String firstValue(String s) {
        int i = s.indexOf('\\');
        return (i < 0 ? s : s.substring(0, i)).strip();
    }

    /** A coded string reduced to safe characters (never free text). */
    private static String code(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.strip().toCharArray()) {
            if (sb.length() >= 32) break;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '_' || c == '-' || c == '.') sb.append(c);
        }
        return sb.toString().strip().toUpperCase(Locale.ROOT);
    }

    private static boolean isUid(String s) {
        return s.length() <= 64 && s.matches("[0-9]+(\\.[0-9]+)*");
    }

    private static long parseLong(String s, long dflt) {
        if (s == null || s.isBlank()) return dflt;
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static double parseDouble(String s, double dflt) {
        if (s == null || s.isBlank()) return dflt;
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
