package io.cxr4j.engine;

import ai.djl.engine.Engine;

/** Names and versions of the deep-learning libraries in use, for provenance. */
public final class EngineInfo {
    private EngineInfo() {}

    public static String describe() {
        try {
            Engine e = Engine.getEngine("PyTorch");
            return "DJL " + Engine.getDjlVersion() + ", " + e.getEngineName() + " " + e.getVersion() + " (CPU)";
        } catch (RuntimeException ex) {
            return "DJL (engine unavailable: " + ex.getMessage() + ")";
        }
    }
}
