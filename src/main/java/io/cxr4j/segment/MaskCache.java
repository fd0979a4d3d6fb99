package io.cxr4j.segment;

import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.image.ImageWriter;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Predicted lung masks kept on disk, keyed by the image file's content (SHA-256) and the segmenter's id,
 * so that a second training or evaluation run over the same films does not segment them again. Each
 * entry is a PNG (255 lung) at the image's own size, written to a temporary file and renamed into place,
 * so a run killed at any moment leaves either a whole entry or none. An entry that cannot be read, or
 * whose size does not match its image, is made again and replaced.
 *
 * <p>Layout: {@code DIR/<segmenter id>/<first two hex digits>/<sha256>.png}.
 */
public final class MaskCache {
    /** Computes a mask for an image when the cache has none. */
    @FunctionalInterface
    public interface Maker {
        GrayImage make() throws Exception;
    }

    private final Path dir;
    private final AtomicInteger hits = new AtomicInteger(), misses = new AtomicInteger(), rebuilt = new AtomicInteger();

    public MaskCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $CXR4J_CACHE/masks}, else {@code $XDG_CACHE_HOME/cxr4j/masks}, else {@code ~/.cache/cxr4j/masks}. */
    public static Path defaultDir() {
        String own = System.getenv("CXR4J_CACHE");
        if (own != null && !own.isBlank()) return Path.of(own, "masks");
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "cxr4j", "masks");
        return Path.of(System.getProperty("user.home"), ".cache", "cxr4j", "masks");
    }

    public Path dir() { return dir; }

    /** The cached mask of {@code imageFile} (decoded as {@code image}) for segmenter {@code segmenterId}, made by {@code maker} when missing. */
    public GrayImage get(Path imageFile, GrayImage image, String segmenterId, Maker maker) throws Exception {
        Path entry = entry(contentKey(imageFile), segmenterId);
        if (Files.isRegularFile(entry)) {
            GrayImage m = readValid(entry, image.width(), image.height());
            if (m != null) {
                hits.incrementAndGet();
                return m;
            }
            rebuilt.incrementAndGet();
        } else {
            misses.incrementAndGet();
        }
        GrayImage m = maker.make();
        Files.createDirectories(entry.getParent());
        AtomicFiles.write(entry, out -> javax.imageio.ImageIO.write(ImageWriter.toBufferedImage(m), "png", out));
        return m;
    }

    /** The entry's mask when it decodes, has the image's size and holds only 0 and 255; else null. */
    private static GrayImage readValid(Path entry, int w, int h) {
        try {
            GrayImage m = ImageReader.read(entry);
            if (m.width() != w || m.height() != h) return null;
            for (byte b : m.pixels()) if (b != 0 && b != (byte) 255) return null;
            return m;
        } catch (BadInputException | RuntimeException e) {
            return null;
        }
    }

    Path entry(String key, String segmenterId) {
        return dir.resolve(segmenterId).resolve(key.substring(0, 2)).resolve(key + ".png");
    }

    /** SHA-256 of a file's bytes, in hex. */
    public static String contentKey(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int hits() { return hits.get(); }

    public int misses() { return misses.get(); }

    /** Entries found unreadable or of the wrong size, and made again. */
    public int rebuilt() { return rebuilt.get(); }

    /** "N from cache, N segmented, N rebuilt" for a log line. */
    public String summary() {
        return hits() + " from the cache, " + misses() + " segmented, " + rebuilt() + " corrupt entries rebuilt (" + dir + ")";
    }
}
