package io.cxr4j.image;

import io.cxr4j.util.BadInputException;

/**
 * The image header claims more pixels than cxr4j decodes ({@link ImageReader#MAX_SIDE} a side,
 * {@link ImageReader#MAX_PIXELS} in all); thrown before any pixel memory is allocated, so a caller such
 * as the server can answer "too large" rather than "unreadable".
 */
public final class TooLargeImageException extends BadInputException {
    public TooLargeImageException(String reason) { super(reason); }
}
