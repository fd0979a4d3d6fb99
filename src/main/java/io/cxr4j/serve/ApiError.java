package io.cxr4j.serve;

/** A request the server answers with a client-error status and {@code {"error":..., "reason":...}}. */
final class ApiError extends Exception {
    final int status;
    final String error;
    final String reason;

    ApiError(int status, String error, String reason) {
        super(error, null, false, false); // control flow only: no stack trace
        this.status = status;
        this.error = error;
        this.reason = reason;
    }
}
