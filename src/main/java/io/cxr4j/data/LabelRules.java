package io.cxr4j.data;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Turns V7 class tags into a {@link Label}. COVID-19 images carry both "Viral Pneumonia" and
 * "COVID-19": COVID-19 wins. Findings outside the four classes (e.g. "Fungal Pneumonia") give no
 * label but a named finding, so callers can skip and count them.
 */
public final class LabelRules {
    private LabelRules() {}

    /** Either a label, or the reason there is none ({@code finding} names what was found instead). */
    public record Result(Label label, String finding) {
        public boolean hasLabel() { return label != null; }
    }

    public static Result fromTags(Collection<String> tags) {
        Set<Label> found = new LinkedHashSet<>();
        String other = null;
        for (String t : tags) {
            String s = t.trim();
            if (s.equalsIgnoreCase("COVID-19")) found.add(Label.COVID19);
            else if (s.equalsIgnoreCase("Bacterial Pneumonia")) found.add(Label.BACTERIAL_PNEUMONIA);
            else if (s.equalsIgnoreCase("Viral Pneumonia")) found.add(Label.VIRAL_PNEUMONIA);
            else if (s.equalsIgnoreCase("No Pneumonia (healthy)")) found.add(Label.HEALTHY);
            else if (s.toLowerCase().endsWith("pneumonia") && other == null) other = s;
        }
        if (found.contains(Label.COVID19)) return new Result(Label.COVID19, null);
        if (found.size() == 1) return new Result(found.iterator().next(), null);
        if (found.size() > 1) {
            StringBuilder sb = new StringBuilder("conflicting class tags:");
            for (Label l : found) sb.append(" \"").append(l.v7Tag()).append('"');
            return new Result(null, sb.toString());
        }
        if (other != null) return new Result(null, findingId(other));
        return new Result(null, null);
    }

    /** "Fungal Pneumonia" becomes {@code fungal_pneumonia}. */
    static String findingId(String tag) {
        return tag.trim().toLowerCase().replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }
}
