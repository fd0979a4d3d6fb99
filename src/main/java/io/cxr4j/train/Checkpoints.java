package io.cxr4j.train;

import io.cxr4j.engine.Net;
import io.cxr4j.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Per-epoch checkpoints that survive kill -9: the epoch's parameters (and weight average) are written
 * first, each atomically, then the state file that points at them, and only then are older files
 * deleted. At any instant the state names files that exist and are complete.
 */
final class Checkpoints {
    static final String STATE = "state.json";

    private Checkpoints() {}

    static String paramsName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%03d.params", epoch);
    }

    static String emaName(String params) {
        return params.replace(".params", ".ema.params");
    }

    /** Saves {@code net} for {@code epoch} and the state object; returns the parameter file name. */
    static String save(Path dir, Net net, int epoch, java.util.function.Function<String, Object> stateFor) throws IOException {
        Files.createDirectories(dir);
        String params = paramsName(epoch);
        net.save(dir.resolve(params));
        if (net.hasEma()) net.saveEma(dir.resolve(emaName(params)));
        AtomicFiles.writeBytes(dir.resolve(STATE), ClassifierTrainer.JSON.writeValueAsBytes(stateFor.apply(params)));
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("epoch-") && n.endsWith(".params") && !n.equals(params) && !n.equals(emaName(params))) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return params;
    }

    /** Restores the weights (and weight average, when kept) of a checkpointed epoch. */
    static Net restore(Path dir, String params, io.cxr4j.model.NetSpec spec, double emaDecay) throws IOException {
        Net net = Net.load(spec, dir.resolve(params));
        if (emaDecay > 0) {
            if (Files.isRegularFile(dir.resolve(emaName(params)))) net.loadEma(dir.resolve(emaName(params)));
            else net.enableEma();
        }
        return net;
    }
}
