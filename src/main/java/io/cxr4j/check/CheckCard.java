package io.cxr4j.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxr4j.engine.NetSpec;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The input check's model.json: its network, the kinds it tells apart, and the thresholds chosen on
 * validation films ({@code accept}: least p(frontal) to accept; {@code fix}: least p(turned or inverted) to
 * correct rather than refuse), the statistics and lung-shape limits, and the validation figures behind them.
 */
public record CheckCard(String format, NetSpec architecture, List<String> kinds, double accept, double fix,
                        @JsonProperty("stats_limits") ImageStats.Limits statsLimits,
                        @JsonProperty("lung_limits") LungShape.Limits lungLimits, String params,
                        Map<String, Object> validation, String disclaimer) {
    public static final String FORMAT = "cxr4j-input-check/1";
    public static final String FILE = "model.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public void write(Path dir) throws IOException {
        AtomicFiles.writeBytes(dir.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    public static CheckCard read(Path dir) throws BadInputException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) throw new BadInputException("no input-check model (" + f + " missing)");
        try {
            CheckCard c = JSON.readValue(f.toFile(), CheckCard.class);
            if (!FORMAT.equals(c.format())) throw new BadInputException(f + ": not an input-check model (format " + c.format() + ")");
            return c;
        } catch (IOException e) {
            throw new BadInputException(f + ": unreadable input-check model.json", e);
        }
    }
}
