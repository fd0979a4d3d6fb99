package io.cxr4j.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of long work: a redrawn bar on an interactive terminal, plain lines (about every 10% or
 * 30 s) when stderr goes to a log. Thread-safe.
 */
public final class Progress {
    private final String task;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final AtomicLong done = new AtomicLong();
    private final long start = System.nanoTime();
    private volatile long lastPrint = System.nanoTime();
    private volatile int lastDecile = -1;
    private volatile String suffix = "";

    public Progress(String task, long total, PrintStream out, boolean terminal) {
        this.task = task;
        this.total = Math.max(1, total);
        this.out = out;
        this.terminal = terminal;
    }

    /** Bar on a terminal (a console is attached and TERM is not dumb), plain lines otherwise. */
    public static Progress forStderr(String task, long total) {
        boolean tty = System.console() != null && !"dumb".equals(System.getenv("TERM")) && System.getenv("CI") == null;
        return new Progress(task, total, System.err, tty);
    }

    /** A progress that prints nothing. */
    public static Progress silent(long total) {
        return new Progress("", total, null, false);
    }

    public void setSuffix(String s) { this.suffix = s == null ? "" : s; }

    public void step() { advance(1); }

    public synchronized void advance(long n) {
        long d = done.addAndGet(n);
        if (out == null) return;
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastPrint > 100_000_000L || d >= total) {
                lastPrint = now;
                int width = 30;
                int filled = (int) (width * Math.min(1.0, (double) d / total));
                out.print("\r" + task + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                        + line(d, now) + "\u001b[K");
                if (d >= total) out.println();
                out.flush();
            }
        } else {
            // plain lines for logs: at most one per 10% step and never more often than every 5 s
            // (a line every 30 s while slow), plus the final line
            int decile = (int) (10 * Math.min(1.0, (double) d / total));
            long sinceLast = now - lastPrint;
            boolean due = (decile > lastDecile && sinceLast > 5_000_000_000L) || sinceLast > 30_000_000_000L;
            if (d >= total || (due && d > 0)) {
                lastDecile = decile;
                lastPrint = now;
                out.println(task + ": " + line(d, now));
                out.flush();
            }
        }
    }

    private String line(long d, long now) {
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? d / secs : 0;
        String eta = rate > 0 && d < total ? String.format(Locale.ROOT, " eta %s", fmt((total - d) / rate)) : "";
        return String.format(Locale.ROOT, "%d/%d (%.0f%%) %.1f/s %s%s%s", d, total, 100.0 * d / total, rate,
                fmt(secs), eta, suffix.isEmpty() ? "" : " " + suffix);
    }

    private static String fmt(double secs) {
        long s = Math.round(secs);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    public long done() { return done.get(); }
}
