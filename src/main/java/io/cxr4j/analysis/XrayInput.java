package io.cxr4j.analysis;

import io.cxr4j.data.PatientIds;
import io.cxr4j.data.Sample;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A film to analyse: a file, or bytes already in memory (an HTTP upload, a Spark binaryFile row), with an
 * optional Darwin JSON annotation or V7 mask that gives its lung mask. {@code name} names it in results and
 * messages (a file name, never patient identity).
 */
public record XrayInput(String name, Path path, byte[] bytes, Path annotation, Path mask) {
    public XrayInput {
        Objects.requireNonNull(name, "name");
        if ((path == null) == (bytes == null)) throw new IllegalArgumentException("give a path or bytes, not both");
    }

    public static XrayInput of(Path path) {
        Path f = path.getFileName();
        return new XrayInput(f == null ? path.toString() : f.toString(), path, null, null, null);
    }

    public static XrayInput of(String name, byte[] bytes) {
        return new XrayInput(name, null, bytes, null, null);
    }

    /** A film of a dataset, with the annotation or mask the dataset has for it. */
    public static XrayInput of(Sample s) {
        return new XrayInput(s.file(), s.image(), null, s.annotation(), s.mask());
    }

    public XrayInput withAnnotation(Path a) {
        return new XrayInput(name, path, bytes, a, mask);
    }

    public XrayInput withMask(Path m) {
        return new XrayInput(name, path, bytes, annotation, m);
    }

    public boolean hasMaskSource() {
        return annotation != null || mask != null;
    }

    /** The input as a dataset sample (no label), for the mask readers. */
    Sample asSample() {
        return new Sample(name, path, annotation, mask, null, null, PatientIds.fromFileName(name), null, null, null);
    }
}
