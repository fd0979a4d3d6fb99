package io.cxr4j.model;

import io.cxr4j.util.Version;
import io.cxr4j.data.Dataset;
import io.cxr4j.data.Sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where a model came from: data, code, libraries, machine. Written as {@code provenance.json}. */
public final class Provenance {
    private Provenance() {}

    /**
     * SHA-256 over every usable image, annotation and mask file (name and bytes, in file order) and
     * metadata.csv: changes when any input the model saw changes.
     */
    public static String datasetHash(Dataset ds) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        for (Sample s : ds.samples()) {
            for (Path p : new Path[] {s.image(), s.annotation(), s.mask()}) {
                if (p == null) continue;
                md.update(p.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(p)) {
                    int n;
                    while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
                }
            }
        }
        for (Path root : ds.roots()) {
            Path meta = root.resolve("metadata.csv");
            if (Files.isRegularFile(meta)) md.update(Files.readAllBytes(meta));
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    /** The git commit cxr4j was built from (jar manifest), else of the working copy it runs from, else "unknown". */
    public static String gitCommit() {
        try (var in = Provenance.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            if (in != null) {
                String c = new java.util.jar.Manifest(in).getMainAttributes().getValue("Git-Commit");
                if (c != null && c.matches("[0-9a-f]{7,40}")) return c;
            }
        } catch (IOException ignored) {
            // fall through to git
        }
        try {
            Path here = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(here) ? here : here.getParent();
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").directory(dir.toFile()).start();
                String dirty = new String(d.getInputStream().readAllBytes()).trim();
                d.waitFor(5, TimeUnit.SECONDS);
                return dirty.isEmpty() ? out : out + "-dirty";
            }
        } catch (Exception ignored) {
            // not a git checkout
        }
        return "unknown";
    }

    /**
     * Adds what every training run records (best epoch, epochs run, time, start and end, environment) to
     * {@code prov} and writes it as {@code dir/provenance.json}.
     */
    public static void finishAndWrite(Path dir, Map<String, Object> prov, int bestEpoch, int epochsRun, double seconds,
                                      String startedAt) throws IOException {
        prov.put("best_epoch", bestEpoch);
        prov.put("epochs_run", epochsRun);
        prov.put("training_seconds", Math.round(seconds));
        prov.put("started_at", startedAt);
        prov.put("finished_at", java.time.Instant.now().toString());
        prov.put("environment", environment());
        io.cxr4j.util.AtomicFiles.writeBytes(dir.resolve("provenance.json"), ModelCard.json().writeValueAsBytes(prov));
    }

    public static Map<String, Object> environment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cxr4j", Version.get());
        m.put("git_commit", gitCommit());
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        try {
            m.put("host", InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            m.put("host", "unknown");
        }
        m.put("engine", io.cxr4j.engine.EngineInfo.describe());
        return m;
    }
}
