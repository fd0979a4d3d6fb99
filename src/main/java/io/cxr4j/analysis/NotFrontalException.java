package io.cxr4j.analysis;

import io.cxr4j.util.BadInputException;

/**
 * The input check refused a film: it is not a frontal chest X-ray. The message is
 * {@code not a frontal chest X-ray (<reason>)}; {@link #reason()} is the short reason alone (e.g. "lateral
 * view", "CT slice", "not a radiograph (photo, graphic or document)"). A refused film gets no class.
 */
public final class NotFrontalException extends BadInputException {
    public static final String PREFIX = "not a frontal chest X-ray";
    private final String reason;

    public NotFrontalException(String reason) {
        super(PREFIX + " (" + reason + ")");
        this.reason = reason;
    }

    /** The short reason, without the "not a frontal chest X-ray" prefix. */
    public String reason() { return reason; }
}
