package io.cxr4j.serve;

import java.util.function.Consumer;

/**
 * How the server listens and what it accepts. {@code bind}: the address (127.0.0.1 by default: reachable
 * from this machine only). {@code maxBodyBytes}: largest upload (413 above it, from Content-Length before
 * the body is read, else while it streams). {@code maxPixels}: largest image by its header (413 above it,
 * before decoding). {@code concurrency} analyses run at once and {@code queue} more wait; past that a
 * request gets 503 with {@code Retry-After: retryAfterSeconds}. {@code requestLog} receives one line per
 * request (method, path, status, milliseconds; no content, no identity).
 */
public record ServeSettings(String bind, int port, long maxBodyBytes, long maxPixels, int concurrency, int queue,
                            int retryAfterSeconds, Consumer<String> requestLog) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY = 50L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    public ServeSettings {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535");
        if (maxBodyBytes < 1) throw new IllegalArgumentException("the body limit must be positive");
        if (maxPixels < 1) throw new IllegalArgumentException("the pixel limit must be positive");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        if (queue < 0) throw new IllegalArgumentException("the queue cannot be negative");
        if (retryAfterSeconds < 1) throw new IllegalArgumentException("Retry-After must be at least 1 s");
    }

    public static ServeSettings defaults() {
        return new ServeSettings(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_MAX_BODY, DEFAULT_MAX_PIXELS, 2, 16, 2, System.err::println);
    }

    public ServeSettings withPort(int p) { return new ServeSettings(bind, p, maxBodyBytes, maxPixels, concurrency, queue, retryAfterSeconds, requestLog); }

    public ServeSettings withBind(String b) { return new ServeSettings(b, port, maxBodyBytes, maxPixels, concurrency, queue, retryAfterSeconds, requestLog); }

    public ServeSettings withLimits(long bodyBytes, long pixels) {
        return new ServeSettings(bind, port, bodyBytes, pixels, concurrency, queue, retryAfterSeconds, requestLog);
    }

    public ServeSettings withQueue(int running, int waiting) {
        return new ServeSettings(bind, port, maxBodyBytes, maxPixels, running, waiting, retryAfterSeconds, requestLog);
    }

    public ServeSettings withRequestLog(Consumer<String> log) {
        return new ServeSettings(bind, port, maxBodyBytes, maxPixels, concurrency, queue, retryAfterSeconds, log);
    }
}
