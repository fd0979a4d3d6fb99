package io.cxr4j.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Patient ids from file names, for collections without a metadata file. */
public final class PatientIds {
    private static final Pattern PERSON = Pattern.compile("^(person\\d+)_.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern IM = Pattern.compile("^((?:NORMAL\\d*-)?IM-\\d+)-\\d+.*", Pattern.CASE_INSENSITIVE);

    private PatientIds() {}

    /**
     * Kermany patterns: {@code person123_bacteria_45.jpeg -> person123},
     * {@code IM-0115-0001.jpeg -> IM-0115}, {@code NORMAL2-IM-1427-0001.jpeg -> NORMAL2-IM-1427};
     * anything else: the file name without its extension.
     */
    public static String fromFileName(String fileName) {
        Matcher m = PERSON.matcher(fileName);
        if (m.matches()) return m.group(1);
        m = IM.matcher(fileName);
        if (m.matches()) return m.group(1);
        return stem(fileName);
    }

    public static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
