package io.cxr4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxr4j.analysis.AnalysisOptions;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.analysis.XrayInput;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server with the shipped classifier and segmenter on real films (PNG and the same pixels as DICOM). */
class RealModelsServerTest extends HttpTestBase {
    @Test
    void realFilmsThroughTheShippedModels() throws Exception {
        Path film = RealModels.film(0);
        byte[] bytes = Files.readAllBytes(film);
        start(RealModels.analyzer(), ServeSettings.defaults().withQueue(2, 8));
        Reply r = post("image/png", bytes);
        assertEquals(200, r.status(), r.body());
        JsonNode j = r.json();
        // the server says what the analyzer says for the same bytes
        try (XrayAnalyzer direct = XrayAnalyzer.load(RealModels.CLASSIFIER, RealModels.SEGMENTER, AnalysisOptions.defaults())) {
            var a = direct.analyze(XrayInput.of("upload", bytes));
            assertEquals(a.predicted(), j.get("predicted").asText());
            assertEquals(a.probabilityMap().get("covid19"), j.get("probabilities").get("covid19").asDouble(), 1e-4);
            assertEquals(a.lungMaskSource(), j.get("lung_mask").asText());
        }
        // the shipped classifier reads the whole film; the outline drawn comes from the input check's segmentation
        assertEquals("predicted", j.get("lung_mask").asText());
        assertTrue(j.get("warnings").toString().contains("the classifier reads the whole film"), j.get("warnings").toString());
        png(j.get("overlay_png").asText());

        Reply d = post("application/dicom", RealModels.asDicom(film));
        assertEquals(200, d.status(), d.body());
        assertEquals(4, d.json().get("probabilities").size());

        // four films at once, each answered
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Reply>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] b = Files.readAllBytes(RealModels.film(i));
                fs.add(pool.submit(() -> postMultipart("image", "film.png", b)));
            }
            for (Future<Reply> f : fs) {
                Reply x = f.get();
                assertEquals(200, x.status(), x.body());
                assertTrue(x.json().get("probabilities").has(x.json().get("predicted").asText()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
