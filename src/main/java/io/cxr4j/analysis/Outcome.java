package io.cxr4j.analysis;

/**
 * One input's result in a batch: its analysis, or the one-line reason it has none. {@link #status()} tells
 * a film the input check refused ("refused": not a frontal chest X-ray) from one that could not be analysed
 * ("error": unreadable, empty, internal problem).
 */
public record Outcome(XrayInput input, Analysis analysis, String reason, Throwable error) {
    public static final String OK = "ok", REFUSED = "refused", ERROR = "error";

    public boolean ok() { return analysis != null; }

    /** "ok", "refused" (the input check said it is not a frontal chest X-ray) or "error". */
    public String status() {
        if (analysis != null) return OK;
        return error instanceof NotFrontalException ? REFUSED : ERROR;
    }

    static Outcome of(XrayInput in, Analysis a) { return new Outcome(in, a, null, null); }

    static Outcome failed(XrayInput in, String reason, Throwable error) { return new Outcome(in, null, reason, error); }
}
