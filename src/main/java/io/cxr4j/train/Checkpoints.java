package io.cxr4j.train;

import io.cxr4j.engine.Net;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;

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

    /**
     * The checks every training run starts with: with {@code resume}, the saved state of the run in
     * {@code modelDir} (an error when there is none); without, null, and an error when the folder already
     * holds a model or a run in progress (nothing a user had is overwritten).
     */
    static <T> T stateToResume(Path modelDir, boolean resume, Class<T> type) throws IOException, BadInputException {
        Path ck = modelDir.resolve(ClassifierTrainer.CHECKPOINT_DIR);
        if (resume) {
            Path sf = ck.resolve(STATE);
            if (!Files.isRegularFile(sf)) {
                throw new BadInputException("nothing to resume: no " + ClassifierTrainer.CHECKPOINT_DIR + "/" + STATE + " in " + modelDir);
            }
            return ClassifierTrainer.JSON.readValue(sf.toFile(), type);
        }
        if (Files.exists(modelDir.resolve(ModelCard.FILE)) || Files.exists(ck.resolve(STATE))) {
            throw new BadInputException("already holds a model or a run in progress; use --resume to continue it, or choose another folder");
        }
        return null;
    }

    /** A fresh network (with a weight average when {@code emaDecay} > 0), or the one checkpointed as {@code params}. */
    static Net startOrRestore(Path dir, String params, io.cxr4j.engine.NetSpec spec, long seed, double emaDecay) throws IOException {
        if (params != null) return restore(dir, params, spec, emaDecay);
        Net net = Net.create(spec, seed);
        if (emaDecay > 0) net.enableEma();
        return net;
    }

    /** Restores the weights (and weight average, when kept) of a checkpointed epoch. */
    static Net restore(Path dir, String params, io.cxr4j.engine.NetSpec spec, double emaDecay) throws IOException {
        Net net = Net.load(spec, dir.resolve(params));
        if (emaDecay > 0) {
            if (Files.isRegularFile(dir.resolve(emaName(params)))) net.loadEma(dir.resolve(emaName(params)));
            else net.enableEma();
        }
        return net;
    }
}
