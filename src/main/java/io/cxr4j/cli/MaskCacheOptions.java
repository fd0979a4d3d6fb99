package io.cxr4j.cli;

import io.cxr4j.segment.MaskCache;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --mask-cache DIR} and {@code --no-mask-cache}: where predicted lung masks are kept between runs. */
public class MaskCacheOptions {
    @Option(names = "--mask-cache", paramLabel = "DIR", description = {"Where predicted lung masks are cached, keyed by image content",
            "and segmenter (default: $CXR4J_CACHE/masks or ~/.cache/cxr4j/masks)."})
    Path maskCache;

    @Option(names = "--no-mask-cache", description = "Segment every unannotated film again instead of using the cache.")
    boolean noMaskCache;

    /** The cache to use, or null with --no-mask-cache. */
    public MaskCache cache() {
        return noMaskCache ? null : new MaskCache(maskCache != null ? maskCache : MaskCache.defaultDir());
    }
}
