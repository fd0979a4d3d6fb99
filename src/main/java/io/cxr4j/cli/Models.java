package io.cxr4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shipped models are, for commands whose --model is optional. */
final class Models {
    private Models() {}

    /** The given folder, else models/lung-segmenter next to the jar's project, else in the working directory. */
    static Path segmenter(Path given) {
        if (given != null) return given;
        return shipped("lung-segmenter");
    }

    static Path shipped(String name) {
        try {
            Path jar = Path.of(Models.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = jar.getParent(); d != null; d = d.getParent()) {
                Path m = d.resolve("models").resolve(name);
                if (Files.isDirectory(m)) return m;
            }
        } catch (Exception ignored) {
            // fall through
        }
        return Path.of("models", name);
    }
}
