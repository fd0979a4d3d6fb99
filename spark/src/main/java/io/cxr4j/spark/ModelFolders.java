package io.cxr4j.spark;

import org.apache.spark.SparkFiles;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a model folder is on this JVM. The job names a model by the path the user gave; on a cluster that
 * path may not exist on the executors, so a folder shipped with {@code --archives M.zip#NAME} is looked up
 * by its name: in the directory Spark unpacks shipped files into (standalone, Kubernetes, local), then in
 * the working directory (YARN links archives there). A shared path (NFS, a mount on every node) is used as
 * it is.
 */
public final class ModelFolders {
    private ModelFolders() {}

    /** The folder, or null when it is on none of the places above. */
    public static Path find(String given) {
        Path p = Path.of(given);
        if (Files.isDirectory(p)) return p;
        Path name = p.getFileName();
        if (name == null) return null;
        try {
            Path shipped = Path.of(SparkFiles.getRootDirectory()).resolve(name.toString());
            if (Files.isDirectory(shipped)) return shipped;
        } catch (RuntimeException noSparkContext) {
            // outside a running Spark application: only the path and the working directory count
        }
        Path here = Path.of(name.toString());
        return Files.isDirectory(here) ? here : null;
    }
}
