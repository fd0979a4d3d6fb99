package io.cxr4j.cli;

/** A problem the user can fix (bad path, bad option combination); printed as one line, exit 2. */
public class UserError extends RuntimeException {
    public UserError(String message) { super(message); }

    public UserError(String message, Throwable cause) { super(message, cause); }
}
