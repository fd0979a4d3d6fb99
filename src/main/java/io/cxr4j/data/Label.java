package io.cxr4j.data;

import java.util.Locale;
import java.util.Optional;

/** The four classes cxr4j tells apart, in the order used for model outputs and confusion matrices. */
public enum Label {
    BACTERIAL_PNEUMONIA("bacterial_pneumonia", "Bacterial Pneumonia"),
    HEALTHY("healthy", "No Pneumonia (healthy)"),
    VIRAL_PNEUMONIA("viral_pneumonia", "Viral Pneumonia"),
    COVID19("covid19", "COVID-19");

    private final String id;
    private final String v7Tag;

    Label(String id, String v7Tag) {
        this.id = id;
        this.v7Tag = v7Tag;
    }

    /** The label as written in CSV/JSON files, e.g. {@code viral_pneumonia}. */
    public String id() { return id; }

    /** V7's tag text for this class. */
    public String v7Tag() { return v7Tag; }

    public static Optional<Label> fromId(String s) {
        if (s == null) return Optional.empty();
        String k = s.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (Label l : values()) if (l.id.equals(k)) return Optional.of(l);
        return switch (k) {
            case "covid", "covid_19" -> Optional.of(COVID19);
            case "normal", "no_pneumonia", "no_pneumonia_(healthy)" -> Optional.of(HEALTHY);
            case "bacterial", "bacteria", "pneumonia_bacterial" -> Optional.of(BACTERIAL_PNEUMONIA);
            case "viral", "virus", "pneumonia_viral" -> Optional.of(VIRAL_PNEUMONIA);
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() { return id; }
}
