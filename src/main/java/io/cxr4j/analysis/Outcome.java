package io.cxr4j.analysis;

/** One input's result in a batch: its analysis, or the one-line reason it has none. */
public record Outcome(XrayInput input, Analysis analysis, String reason, Throwable error) {
    public boolean ok() { return analysis != null; }

    static Outcome of(XrayInput in, Analysis a) { return new Outcome(in, a, null, null); }

    static Outcome failed(XrayInput in, String reason, Throwable error) { return new Outcome(in, null, reason, error); }
}
