package io.cxr4j.image;

/** Lets tests in other packages craft the oversized-header PNG. */
public final class ImageReaderTestAccess {
    private ImageReaderTestAccess() {}

    public static byte[] hugePng() throws java.io.IOException {
        return ImageReaderTest.pngWithHeader(100_000, 100_000);
    }
}
