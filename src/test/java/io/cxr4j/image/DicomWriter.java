package io.cxr4j.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test fixtures only: writes small DICOM Part 10 files (explicit or implicit VR little endian, or an
 * encapsulated "compressed" transfer syntax) with synthetic pixels and a FAKE patient identity. It is
 * deliberately simple (elements sorted by tag, no character sets) and is not used by cxr4j itself.
 */
public final class DicomWriter {
    public static final String IMPLICIT = "1.2.840.10008.1.2", EXPLICIT = "1.2.840.10008.1.2.1";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50", JPEG_2000 = "1.2.840.10008.1.2.4.90",
            RLE = "1.2.840.10008.1.2.5";

    /** The fake identity every fixture carries; tests check it never escapes the reader. */
    public static final String PATIENT_NAME = "Zzfakename^Qqtestperson", PATIENT_ID = "FAKEPID-7731",
            BIRTH_DATE = "19020304", ACCESSION = "FAKEACC-5519";

    private static final Set<String> LONG_VR = Set.of("OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UT", "UN", "UC", "UR", "SV", "UV");

    private final String ts;
    private final boolean explicit;
    private final TreeMap<Long, byte[]> elements = new TreeMap<>();

    public DicomWriter(String transferSyntax) {
        this.ts = transferSyntax;
        this.explicit = !transferSyntax.equals(IMPLICIT);
    }

    /** A grey chest X-ray header (no pixels yet) with the fake identity. */
    public static DicomWriter xray(String ts, int rows, int cols, int bitsAllocated, int bitsStored, boolean signed, String photometric) {
        return new DicomWriter(ts)
                .str(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.1.1")
                .str(0x00080018, "UI", "1.2.826.0.1.3680043.2.1125.99.1")
                .str(0x00080020, "DA", "20200101")
                .str(0x00080050, "SH", ACCESSION)
                .str(0x00080060, "CS", "DX")
                .str(0x00080080, "LO", "FAKE HOSPITAL")
                .str(0x00100010, "PN", PATIENT_NAME)
                .str(0x00100020, "LO", PATIENT_ID)
                .str(0x00100030, "DA", BIRTH_DATE)
                .str(0x00100040, "CS", "O")
                .str(0x00180015, "CS", "CHEST")
                .str(0x00185101, "CS", "PA")
                .str(0x00200013, "IS", "1")
                .us(0x00280002, 1)
                .str(0x00280004, "CS", photometric)
                .us(0x00280010, rows)
                .us(0x00280011, cols)
                .us(0x00280100, bitsAllocated)
                .us(0x00280101, bitsStored)
                .us(0x00280102, bitsStored - 1)
                .us(0x00280103, signed ? 1 : 0);
    }

    public DicomWriter str(int tag, String vr, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        if (v.length % 2 == 1) {
            byte[] p = new byte[v.length + 1];
            System.arraycopy(v, 0, p, 0, v.length);
            p[v.length] = (byte) (vr.equals("UI") ? 0 : ' ');
            v = p;
        }
        return raw(tag, vr, v);
    }

    public DicomWriter us(int tag, int... values) { return raw(tag, "US", le16(values)); }

    public DicomWriter remove(int tag) {
        elements.remove(tag & 0xFFFFFFFFL);
        return this;
    }

    public DicomWriter raw(int tag, String vr, byte[] value) {
        elements.put(tag & 0xFFFFFFFFL, element(tag, vr, value, explicit));
        return this;
    }

    /** 16-bit pixel data: each value's low 16 bits, little endian. */
    public DicomWriter pixels16(int... values) { return raw(0x7FE00010, "OW", le16(values)); }

    public DicomWriter pixels8(byte[] values) {
        byte[] v = values.length % 2 == 0 ? values : java.util.Arrays.copyOf(values, values.length + 1);
        return raw(0x7FE00010, "OB", v);
    }

    /** Encapsulated pixel data: an empty basic offset table, then one fragment per argument. */
    public DicomWriter encapsulated(byte[]... fragments) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        tag(b, 0x7FE00010);
        if (explicit) {
            b.writeBytes("OB".getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(new byte[2]);
        }
        b.writeBytes(le32(0xFFFFFFFF));
        item(b, new byte[0]);
        for (byte[] f : fragments) item(b, f.length % 2 == 0 ? f : java.util.Arrays.copyOf(f, f.length + 1));
        tag(b, 0xFFFEE0DD);
        b.writeBytes(le32(0));
        elements.put(0x7FE00010L, b.toByteArray());
        return this;
    }

    /** A sequence of items, each a map tag -> encoded value via a nested writer; undefined or explicit lengths. */
    public DicomWriter sequence(int tag, boolean undefinedLength, List<DicomWriter> items) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (DicomWriter it : items) {
            byte[] content = it.dataset();
            tag(body, 0xFFFEE000);
            if (undefinedLength) {
                body.writeBytes(le32(0xFFFFFFFF));
                body.writeBytes(content);
                tag(body, 0xFFFEE00D);
                body.writeBytes(le32(0));
            } else {
                body.writeBytes(le32(content.length));
                body.writeBytes(content);
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        tag(b, tag);
        if (explicit) {
            b.writeBytes("SQ".getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(new byte[2]);
        }
        if (undefinedLength) {
            b.writeBytes(le32(0xFFFFFFFF));
            b.writeBytes(body.toByteArray());
            tag(b, 0xFFFEE0DD);
            b.writeBytes(le32(0));
        } else {
            b.writeBytes(le32(body.size()));
            b.writeBytes(body.toByteArray());
        }
        elements.put(tag & 0xFFFFFFFFL, b.toByteArray());
        return this;
    }

    /** A nested item in the same transfer syntax. */
    public DicomWriter item() { return new DicomWriter(ts); }

    byte[] dataset() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Map.Entry<Long, byte[]> e : elements.entrySet()) b.writeBytes(e.getValue());
        return b.toByteArray();
    }

    /** The whole Part 10 file: 128-byte preamble, "DICM", the meta group (explicit VR LE), the data set. */
    public byte[] bytes() {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        meta.writeBytes(element(0x00020001, "OB", new byte[] {0, 1}, true));
        meta.writeBytes(element(0x00020002, "UI", pad("1.2.840.10008.5.1.4.1.1.1.1", 0), true));
        meta.writeBytes(element(0x00020003, "UI", pad("1.2.826.0.1.3680043.2.1125.99.1", 0), true));
        meta.writeBytes(element(0x00020010, "UI", pad(ts, 0), true));
        meta.writeBytes(element(0x00020012, "UI", pad("1.2.826.0.1.3680043.2.1125.99", 0), true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(element(0x00020000, "UL", le32(meta.size()), true));
        out.writeBytes(meta.toByteArray());
        out.writeBytes(dataset());
        return out.toByteArray();
    }

    private static byte[] pad(String s, int padByte) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        if (v.length % 2 == 0) return v;
        byte[] p = java.util.Arrays.copyOf(v, v.length + 1);
        p[v.length] = (byte) padByte;
        return p;
    }

    static byte[] element(int tag, String vr, byte[] value, boolean explicit) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        tag(b, tag);
        if (explicit) {
            b.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            if (LONG_VR.contains(vr)) {
                b.writeBytes(new byte[2]);
                b.writeBytes(le32(value.length));
            } else {
                b.writeBytes(le16(value.length));
            }
        } else {
            b.writeBytes(le32(value.length));
        }
        b.writeBytes(value);
        return b.toByteArray();
    }

    private static void tag(ByteArrayOutputStream b, int tag) {
        b.writeBytes(le16(tag >>> 16, tag & 0xFFFF));
    }

    private static void item(ByteArrayOutputStream b, byte[] content) {
        tag(b, 0xFFFEE000);
        b.writeBytes(le32(content.length));
        b.writeBytes(content);
    }

    static byte[] le16(int... values) {
        byte[] b = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            b[2 * i] = (byte) values[i];
            b[2 * i + 1] = (byte) (values[i] >> 8);
        }
        return b;
    }

    static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
