package io.cxr4j.data;

import io.cxr4j.mask.Region;

import java.util.List;

/**
 * What cxr4j uses from one Darwin JSON file (1.0 or 2.0): the image's name and size, the polygon
 * regions in file order and the tag names.
 */
public record DarwinFile(String version, String fileName, int width, int height, List<Region> regions, List<String> tags) {
    public DarwinFile {
        regions = List.copyOf(regions);
        tags = List.copyOf(tags);
    }

    /** The value of a {@code Key:value} tag such as {@code PatientID:198}, or null. */
    public String tagValue(String key) {
        String prefix = key + ":";
        for (String t : tags) if (t.startsWith(prefix)) return t.substring(prefix.length()).trim();
        return null;
    }
}
