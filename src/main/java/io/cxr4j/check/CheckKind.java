package io.cxr4j.check;

import java.util.List;

/**
 * What the check network tells apart, in output order. The turned kinds say how the film's content is
 * turned (clockwise) from upright; {@link #correctable()} kinds are fixed, not refused, when the network is
 * sure and the fixed film then reads as frontal.
 */
public enum CheckKind {
    FRONTAL("frontal", null),
    TURNED_90("turned_90", "turned 90 degrees"),
    TURNED_180("turned_180", "turned 180 degrees"),
    TURNED_270("turned_270", "turned 90 degrees"),
    INVERTED("inverted", "inverted grey scale"),
    LATERAL("lateral", "lateral view"),
    CT("ct", "CT slice"),
    PARTIAL("partial", "lungs not found: only part of the chest"),
    OTHER("other", "not a radiograph (photo, graphic or document)");

    public final String id;
    /** The refusal reason (null for frontal). */
    public final String reason;

    CheckKind(String id, String reason) {
        this.id = id;
        this.reason = reason;
    }

    public boolean correctable() {
        return this == TURNED_90 || this == TURNED_180 || this == TURNED_270 || this == INVERTED;
    }

    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(k -> k.id).toList();
    }

    public static CheckKind of(String id) {
        for (CheckKind k : values()) if (k.id.equals(id)) return k;
        throw new IllegalArgumentException("unknown check kind " + id);
    }
}
