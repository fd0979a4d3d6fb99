package io.cxr4j.cli;

/** Exit statuses shared by every command. */
public final class ExitCodes {
    /** Every item succeeded. */
    public static final int OK = 0;
    /** Some items were skipped (each named on stderr); the rest were processed. */
    public static final int PARTIAL = 1;
    /** Usage error, or nothing could be processed. */
    public static final int FAILED = 2;

    private ExitCodes() {}

    static int of(int processed, int skipped) {
        if (processed == 0) return FAILED;
        return skipped > 0 ? PARTIAL : OK;
    }
}
