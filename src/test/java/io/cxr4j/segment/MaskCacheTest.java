package io.cxr4j.segment;

import io.cxr4j.image.GrayImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Predicted masks cached on disk by image content and segmenter id: hit, miss, corrupt entry rebuilt. */
class MaskCacheTest {
    @TempDir
    Path dir;

    static GrayImage mask(int w, int h, int seed) {
        byte[] p = new byte[w * h];
        for (int i = 0; i < p.length; i++) p[i] = (byte) (((i * 31 + seed) % 7) < 3 ? 255 : 0);
        return new GrayImage(w, h, p);
    }

    @Test
    void missThenHitAndKeyedByContentAndSegmenter() throws Exception {
        Path img = dir.resolve("film.png");
        Files.write(img, new byte[] {1, 2, 3, 4});
        GrayImage image = new GrayImage(20, 10, new byte[200]);
        MaskCache cache = new MaskCache(dir.resolve("cache"));
        AtomicInteger made = new AtomicInteger();
        GrayImage m1 = cache.get(img, image, "seg-a", () -> { made.incrementAndGet(); return mask(20, 10, 1); });
        GrayImage m2 = cache.get(img, image, "seg-a", () -> { made.incrementAndGet(); return mask(20, 10, 2); });
        assertEquals(1, made.get(), "second call is served from disk");
        assertArrayEquals(m1.pixels(), m2.pixels());
        assertEquals(1, cache.misses());
        assertEquals(1, cache.hits());
        // a new cache object over the same folder (a second run) finds it too
        MaskCache again = new MaskCache(dir.resolve("cache"));
        again.get(img, image, "seg-a", () -> { made.incrementAndGet(); return mask(20, 10, 3); });
        assertEquals(1, made.get());
        // another segmenter, or other bytes under the same name, are other entries
        again.get(img, image, "seg-b", () -> { made.incrementAndGet(); return mask(20, 10, 4); });
        Files.write(img, new byte[] {9, 9});
        GrayImage other = again.get(img, image, "seg-a", () -> { made.incrementAndGet(); return mask(20, 10, 5); });
        assertEquals(3, made.get());
        assertArrayEquals(mask(20, 10, 5).pixels(), other.pixels());
    }

    @Test
    void corruptOrWrongSizedEntryIsMadeAgainAndReplaced() throws Exception {
        Path img = dir.resolve("film.png");
        Files.write(img, new byte[] {5, 6, 7});
        GrayImage image = new GrayImage(16, 16, new byte[256]);
        MaskCache cache = new MaskCache(dir.resolve("cache"));
        cache.get(img, image, "seg", () -> mask(16, 16, 1));
        Path entry;
        try (Stream<Path> s = Files.walk(dir.resolve("cache"))) {
            entry = s.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        }
        Files.write(entry, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}); // truncated, as after a crash mid-write elsewhere
        GrayImage rebuilt = cache.get(img, image, "seg", () -> mask(16, 16, 2));
        assertEquals(1, cache.rebuilt());
        assertArrayEquals(mask(16, 16, 2).pixels(), rebuilt.pixels());
        assertNotEquals(6, Files.size(entry), "the entry was replaced");
        // now it is a hit
        cache.get(img, image, "seg", () -> { throw new AssertionError("should be cached"); });
        // an entry for a film of another size (e.g. the file was replaced by a resized copy) is not used
        GrayImage bigger = new GrayImage(32, 16, new byte[512]);
        GrayImage m = cache.get(img, bigger, "seg", () -> mask(32, 16, 3));
        assertEquals(32, m.width());
        assertEquals(2, cache.rebuilt());
    }
}
