package io.cxr4j.model;

import io.cxr4j.engine.NetSpec;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxr4j.prep.InputRecipe;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code model.json}: everything needed to rebuild a trained model and feed it exactly as in training.
 *
 * @param format        file format id, {@code cxr4j-model/1}
 * @param task          {@code classification} or {@code segmentation}
 * @param cxr4jVersion  version of cxr4j that wrote it
 * @param architecture  the network
 * @param classes       output classes in order
 * @param input         how images become inputs (mask mode, size, margin)
 * @param normalisation human-readable normalisation, applied by {@link InputRecipe#normalise}
 * @param members       parameter files; several form an ensemble whose probabilities are averaged
 * @param tta           test-time augmentation views averaged at prediction (0 = none)
 * @param disclaimer    shown with every result
 * @param temperature   logits are divided by it before the softmax (temperature scaling fitted on validation;
 *                      null or 1 = none)
 * @param trainedOn     the populations and sources the model learned from, and what it cannot tell (may be null
 *                      for models made before this was recorded)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCard(String format, String task, @JsonProperty("cxr4j_version") String cxr4jVersion, NetSpec architecture,
                        List<String> classes, InputRecipe input, String normalisation, List<String> members, int tta,
                        String disclaimer, Double temperature, @JsonProperty("trained_on") TrainedOn trainedOn) {

    public ModelCard(String format, String task, String cxr4jVersion, NetSpec architecture, List<String> classes, InputRecipe input,
                     String normalisation, List<String> members, int tta, String disclaimer) {
        this(format, task, cxr4jVersion, architecture, classes, input, normalisation, members, tta, disclaimer, null, null);
    }

    /**
     * What the model learned from: training films per source and label, the populations (adult, child) they
     * belong to, and plain statements of what the data cannot support.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TrainedOn(Map<String, Map<String, Integer>> sources, Map<String, Integer> populations, List<String> limits,
                            @JsonProperty("pneumonia_type_supported_for") List<String> pneumoniaTypeSupportedFor) {}

    /** The same card with {@code trainedOn} set. */
    public ModelCard withTrainedOn(TrainedOn t) {
        return new ModelCard(format, task, cxr4jVersion, architecture, classes, input, normalisation, members, tta, disclaimer, temperature, t);
    }

    /** The same card with a fitted temperature. */
    public ModelCard withTemperature(double t) {
        return new ModelCard(format, task, cxr4jVersion, architecture, classes, input, normalisation, members, tta, disclaimer, t, trainedOn);
    }

    /** The temperature to divide logits by (1 when none was fitted). */
    public double temperatureOrOne() {
        return temperature == null ? 1.0 : temperature;
    }
    public static final String FORMAT = "cxr4j-model/1";
    public static final String DISCLAIMER = "Research tool, not a diagnostic device: not for clinical use.";
    public static final String FILE = "model.json";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path dir) throws IOException {
        AtomicFiles.writeBytes(dir.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    public static ModelCard read(Path dir) throws BadInputException {
        Path f = dir.resolve(FILE);
        if (!Files.isDirectory(dir)) throw new BadInputException("model folder not found");
        if (!Files.isRegularFile(f)) throw new BadInputException("not a cxr4j model folder: no " + FILE);
        try {
            ModelCard c = JSON.readValue(f.toFile(), ModelCard.class);
            if (c.format() == null || !c.format().startsWith("cxr4j-model/")) throw new BadInputException(FILE + " is not a cxr4j model description");
            if (c.members() == null || c.members().isEmpty()) throw new BadInputException(FILE + " lists no parameter file");
            for (String m : c.members()) {
                if (!Files.isRegularFile(dir.resolve(m))) throw new BadInputException("parameter file " + m + " is missing");
            }
            return c;
        } catch (IOException e) {
            throw new BadInputException("cannot read " + FILE + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    public static ObjectMapper json() { return JSON; }
}
