package io.cxr4j.spark;

/**
 * A problem that stops the whole job before or while it runs (a model missing, the output already there,
 * an input that does not exist): its message is the one line the user sees. A bad film is never one of
 * these; it is a row with its reason.
 */
public final class JobFailure extends Exception {
    public JobFailure(String message) { super(message); }

    public JobFailure(String message, Throwable cause) { super(message, cause); }
}
