package io.cxr4j.util;

/**
 * A user-facing problem with one input item (an image, an annotation file, a model folder). The
 * message is a short reason, without the file name: callers print {@code <file>: <reason>}.
 */
public class BadInputException extends Exception {
    public BadInputException(String reason) { super(reason); }

    public BadInputException(String reason, Throwable cause) { super(reason, cause); }
}
