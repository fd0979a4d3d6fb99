package io.cxr4j.data;

import java.util.Locale;
import java.util.Map;

/**
 * Whether a film is an adult's or a child's, where it can be known: the metadata's {@code age} column
 * (18 or over: adult), else what the public collection is known to hold. Kermany et al. (Guangzhou) is a
 * paediatric collection (ages 1-5); ieee8023, NIH ChestX-ray8, Hannover and COVID-CXNet hold adults'
 * films (as the datasets' READMEs say). Anything else is "unknown".
 */
public final class Populations {
    public static final String ADULT = "adult", CHILD = "child", UNKNOWN = "unknown";

    private static final Map<String, String> BY_SOURCE = Map.of(
            "kermany", CHILD, "ieee8023", ADULT, "nih", ADULT, "hannover", ADULT, "cxnet", ADULT);

    private Populations() {}

    public static String of(Sample s) {
        String age = s.meta().get("age");
        if (age != null && !age.isBlank()) {
            try {
                double a = Double.parseDouble(age.trim().replaceAll("[^0-9.]", ""));
                return a >= 18 ? ADULT : CHILD;
            } catch (NumberFormatException e) {
                // fall through to the source
            }
        }
        if (s.source() == null) return UNKNOWN;
        return BY_SOURCE.getOrDefault(s.source().toLowerCase(Locale.ROOT), UNKNOWN);
    }
}
