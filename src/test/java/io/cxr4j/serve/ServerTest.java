package io.cxr4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxr4j.image.DicomWriter;
import io.cxr4j.model.ModelCard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's endpoints and status codes, with analyzers that need no networks (see {@link Fakes}). */
class ServerTest extends HttpTestBase {
    @Test
    void healthModelCardOpenApiAndPage() throws Exception {
        start(Fakes.decoding(false, List.of()));
        Reply h = get("/api/v1/health");
        assertEquals(200, h.status());
        assertEquals("ok", h.json().get("status").asText());
        assertEquals("classifier", h.json().get("model").asText());

        JsonNode card = get("/api/v1/model").json();
        assertEquals(List.of("bacterial_pneumonia", "healthy", "viral_pneumonia", "covid19"),
                ModelCard.json().convertValue(card.get("classes"), List.class));
        assertTrue(card.get("trained_on").get("sources").has("kermany"), card.toString());
        assertTrue(card.get("figures").get("accuracy").asDouble() > 0.5, card.toString());
        assertEquals(ModelCard.DISCLAIMER, card.get("disclaimer").asText());

        Reply api = get("/api/v1/openapi.json");
        assertEquals(200, api.status());
        for (String p : new String[] {"/api/v1/health", "/api/v1/model", "/api/v1/analyze"}) assertTrue(api.json().get("paths").has(p), p);

        Reply page = get("/");
        assertEquals(200, page.status());
        assertTrue(page.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("not a diagnostic device"));
        assertFalse(page.body().matches("(?s).*(src|href)=\"https?://.*"), "the page loads nothing from elsewhere");
        assertEquals(200, get("/app.js").status());
        assertEquals(200, get("/style.css").status());
    }

    @Test
    void staticFilesComeFromTheJarOnlySoPathsGetNothing() throws Exception {
        start(Fakes.decoding(false, List.of()));
        for (String p : new String[] {"/pom.xml", "/../pom.xml", "/%2e%2e/pom.xml", "/..%2fpom.xml", "/io/cxr4j/serve/web/index.html",
                "/models/classifier/model.json", "/etc/passwd", "/api/v1/analyze?path=/etc/passwd"}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(p.replace("/../", "/%2E%2E/"))).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertClean(r.body());
            assertTrue(r.statusCode() == 404 || r.statusCode() == 400 || r.statusCode() == 405, p + " -> " + r.statusCode());
            assertFalse(r.body().contains("<project") || r.body().contains("root:"), p);
        }
    }

    @Test
    void analysesAPngBodyWithOverlayAndHeatMap() throws Exception {
        start(Fakes.decoding(true, List.of("inverted grey scale corrected")));
        Reply r = post("image/png", Fakes.png(96, 80));
        assertEquals(200, r.status(), r.body());
        JsonNode j = r.json();
        assertEquals(4, j.get("probabilities").size());
        double sum = 0;
        for (JsonNode p : j.get("probabilities")) sum += p.asDouble();
        assertEquals(1.0, sum, 1e-3);
        assertTrue(j.get("probabilities").has(j.get("predicted").asText()));
        assertEquals("predicted", j.get("lung_mask").asText());
        assertEquals("inverted grey scale corrected", j.get("corrections").get(0).asText());
        assertTrue(j.get("warnings").get(0).asText().contains("lung mask"));
        assertEquals("classifier", j.get("model").asText());
        assertEquals(ModelCard.DISCLAIMER, j.get("disclaimer").asText());
        BufferedImage overlay = png(j.get("overlay_png").asText());
        assertEquals(96, overlay.getWidth());
        assertEquals(80, overlay.getHeight());
        int edge = overlay.getRGB(96 / 4, 80 / 2) & 0xFFFFFF; // on the left edge of the fake lung box
        assertEquals(Pictures.OUTLINE_RGB, edge, Integer.toHexString(edge));
        BufferedImage heat = png(j.get("heatmap_png").asText());
        int cold = heat.getRGB(0, 40), hot = heat.getRGB(95, 40);
        assertTrue(((hot >> 16) & 0xFF) > ((cold >> 16) & 0xFF) + 80, "hot side redder");
        assertEquals(List.of("POST /api/v1/analyze 200"), log.stream().filter(l -> l.startsWith("POST"))
                .map(l -> l.replaceAll(" \\d+ ms$", "")).toList());
    }

    @Test
    void heatMapQueryParameterSkipsTheHeatMapOrIsA400() throws Exception {
        start(Fakes.decoding(true, List.of()));
        byte[] film = Fakes.png(64, 48);
        assertTrue(post("/api/v1/analyze?heatmap=true", "image/png", film).json().has("heatmap_png"));
        JsonNode off = post("/api/v1/analyze?heatmap=false", "image/png", film).json();
        assertTrue(off.has("overlay_png") && off.has("predicted"), off.toString());
        assertNull(off.get("heatmap_png"));
        Reply bad = post("/api/v1/analyze?heatmap=maybe", "image/png", film);
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.json().get("reason").asText().contains("heatmap must be true or false"), bad.body());
    }

    @Test
    void noHeatMapFieldWhenTheAnalysisHasNone() throws Exception {
        start(Fakes.decoding(false, List.of()));
        JsonNode j = post("image/jpeg", Fakes.encode(new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR), "jpeg")).json();
        assertTrue(j.has("overlay_png"));
        assertNull(j.get("heatmap_png"));
        assertEquals(0, j.get("corrections").size());
    }

    @Test
    void multipartFieldImage() throws Exception {
        start(Fakes.decoding(false, List.of()));
        byte[] film = Fakes.png(50, 60);
        Reply ok = postMultipart("image", "Smith_John.png", film);
        assertEquals(200, ok.status(), ok.body());
        assertFalse(ok.body().contains("Smith"), "the upload's file name is not echoed");
        assertEquals(60, ok.json().get("image_size").get("height").asInt());
        assertError(postMultipart("file", "x.png", film), 400, "no image");
        assertError(post("multipart/form-data", film), 400, "bad multipart body");
        assertError(post("multipart/form-data; boundary=" + boundary, "garbage".getBytes(StandardCharsets.US_ASCII)), 400, "bad multipart body");
    }

    @Test
    void unreadableOrEmptyIs400AndOtherContentTypes415() throws Exception {
        start(Fakes.decoding(false, List.of()));
        assertError(post("image/png", new byte[0]), 400, "cannot read the image");
        Reply text = post("image/png", "hello, this is not a film".getBytes(StandardCharsets.US_ASCII));
        assertError(text, 400, "cannot read the image");
        assertTrue(text.json().get("reason").asText().contains("not an image"), text.body());
        byte[] png = Fakes.png(64, 64);
        assertError(post("image/png", java.util.Arrays.copyOf(png, 40)), 400, "cannot read the image");
        assertError(post("text/plain", png), 415, "unsupported content type");
        assertError(post("application/x-www-form-urlencoded", png), 415, "unsupported content type");
        assertError(post(null, png), 415, "unsupported content type");
        assertEquals(200, post("IMAGE/PNG; charset=binary", png).status(), "media types are case-insensitive, parameters ignored");
    }

    @Test
    void notFrontalIs422WithTheReason() throws Exception {
        start(Fakes.refusing("lateral view"));
        Reply r = post("image/png", Fakes.png(64, 64));
        assertError(r, 422, "not a frontal chest X-ray");
        assertEquals("lateral view", r.json().get("reason").asText());
    }

    @Test
    void aBugIs500InternalErrorWithoutDetails() throws Exception {
        start(Fakes.broken());
        Reply r = post("image/png", Fakes.png(64, 64));
        assertError(r, 500, "internal error");
        assertFalse(r.body().contains("boom"), r.body());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("internal error in POST /api/v1/analyze")), log.toString());
        log.clear(); // the operator's log line may name the bug; the client's answer may not
    }

    @Test
    void overThePixelLimitIs413BeforeDecoding() throws Exception {
        start(Fakes.decoding(false, List.of()), ServeSettings.defaults().withLimits(ServeSettings.DEFAULT_MAX_BODY, 100 * 100));
        assertEquals(200, post("image/png", Fakes.png(100, 100)).status());
        Reply r = post("image/png", Fakes.png(101, 100));
        assertError(r, 413, "image too large");
        assertTrue(r.json().get("reason").asText().contains("101x100"), r.body());
        assertError(post("application/dicom", dicom12(DicomWriter.EXPLICIT, "MONOCHROME2", 128)), 413, "image too large");
    }

    @Test
    void aHeaderClaimingAHugeImageIs413WithoutAllocating() throws Exception {
        start(Fakes.decoding(false, List.of()));
        byte[] png = Fakes.png(16, 16);
        // IHDR width and height (big endian at 16 and 20): 40000 x 40000, far above any limit
        for (int off : new int[] {16, 20}) {
            png[off] = 0; png[off + 1] = 0; png[off + 2] = (byte) (40000 >> 8); png[off + 3] = (byte) 40000;
        }
        assertError(post("image/png", png), 413, "image too large");
    }

    @Test
    void aBodyOverTheLimitIs413FromContentLengthBeforeItIsRead() throws Exception {
        start(Fakes.decoding(false, List.of()), ServeSettings.defaults().withLimits(1000, ServeSettings.DEFAULT_MAX_PIXELS));
        // claims 60 MB but sends 10 bytes: the answer comes without waiting for (or reading) the rest
        String reply = raw("POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 60000000\r\n\r\n", new byte[10]);
        assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
        assertTrue(reply.contains("\"upload too large\""), reply);
        assertTrue(reply.contains("60000000 bytes"), reply);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413WhileStreaming() throws Exception {
        start(Fakes.decoding(false, List.of()), ServeSettings.defaults().withLimits(1000, ServeSettings.DEFAULT_MAX_PIXELS));
        byte[] chunk = new byte[1500];
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(chunk);
        body.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String reply = raw("POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n", body.toByteArray());
        assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
        assertTrue(reply.contains("the limit is 1000 bytes"), reply);
        // and one under the limit, chunked, is read whole
        byte[] png = Fakes.png(8, 8);
        assertTrue(png.length < 1000);
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        small.writeBytes((Integer.toHexString(png.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        small.writeBytes(png);
        small.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String ok = raw("POST /api/v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n", small.toByteArray());
        assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
    }

    @Test
    void busyPastTheQueueIs503WithRetryAfter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        start(Fakes.slow(release, started), ServeSettings.defaults().withQueue(1, 1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            byte[] png = Fakes.png(32, 32);
            Future<Reply> first = pool.submit(() -> post("image/png", png));
            long until = System.currentTimeMillis() + 20_000;
            while (started.get() < 1 && System.currentTimeMillis() < until) Thread.sleep(10);
            assertEquals(1, started.get(), "the first film is being analysed");
            Future<Reply> second = pool.submit(() -> post("image/png", png)); // waits in the queue
            Thread.sleep(300);
            Reply busy = post("image/png", png);
            assertError(busy, 503, "busy");
            assertEquals("2", busy.raw().headers().firstValue("Retry-After").orElse(null));
            assertEquals(1, started.get(), "the refused film was not analysed");
            release.countDown();
            assertEquals(200, first.get().status());
            assertEquals(200, second.get().status());
            assertEquals(200, post("image/png", png).status(), "room again once the queue drains");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentRequestsAllAnswered() throws Exception {
        start(Fakes.decoding(true, List.of()), ServeSettings.defaults().withQueue(2, 16));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int side = 40 + i;
                replies.add(pool.submit(() -> i(side) % 2 == 0 ? post("image/png", Fakes.png(side, side))
                        : postMultipart("image", "f.dcm", dicom12(DicomWriter.IMPLICIT, "MONOCHROME1", side))));
            }
            for (int i = 0; i < replies.size(); i++) {
                Reply r = replies.get(i).get();
                assertEquals(200, r.status(), r.body());
                assertEquals(40 + i, r.json().get("image_size").get("width").asInt(), "each answer is for its own film");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int i(int v) { return v; }

    @Test
    void dicomVariantsThroughTheServer() throws Exception {
        start(Fakes.decoding(false, List.of()));
        // MONOCHROME1, 12-bit with a window, implicit VR (made here) and the dcmtk-made fixture
        for (byte[] dcm : List.of(dicom12(DicomWriter.IMPLICIT, "MONOCHROME1", 64), dicom12(DicomWriter.EXPLICIT, "MONOCHROME2", 64),
                resource("dcmtk-implicit-monochrome1-12bit.dcm"))) {
            Reply r = post("application/dicom", dcm);
            assertEquals(200, r.status(), r.body());
            assertEquals(4, r.json().get("probabilities").size());
            assertTrue(postMultipart("image", "scan.dcm", dcm).status() == 200);
        }
        // MONOCHROME1 is inverted: the same stored values read darker than as MONOCHROME2 where they are high
        BufferedImage m1 = png(post("application/dicom", dicom12(DicomWriter.IMPLICIT, "MONOCHROME1", 64)).json().get("overlay_png").asText());
        BufferedImage m2 = png(post("application/dicom", dicom12(DicomWriter.IMPLICIT, "MONOCHROME2", 64)).json().get("overlay_png").asText());
        assertTrue((m1.getRGB(60, 2) & 0xFF) < (m2.getRGB(60, 2) & 0xFF), "inverted");
        // truncated: 400 with the reason
        byte[] whole = dicom12(DicomWriter.EXPLICIT, "MONOCHROME2", 64);
        Reply cut = post("application/dicom", java.util.Arrays.copyOf(whole, whole.length - 3000));
        assertError(cut, 400, "cannot read the image");
        assertTrue(cut.json().get("reason").asText().contains("truncated"), cut.body());
        // compressed transfer syntaxes the reader cannot decode: 400 naming the transfer syntax
        for (String f : new String[] {"dcmtk-jpeg-baseline.dcm", "dcmtk-rle.dcm"}) {
            Reply c = post("application/dicom", resource(f));
            assertError(c, 400, "cannot read the image");
            assertTrue(c.json().get("reason").asText().contains("1.2.840.10008.1.2."), c.body());
        }
    }

    @Test
    void noIdentityIsEchoedAnywhere() throws Exception {
        start(Fakes.decoding(true, List.of()));
        byte[] dcm = dicom12(DicomWriter.EXPLICIT, "MONOCHROME2", 64);
        assertTrue(new String(dcm, StandardCharsets.ISO_8859_1).contains(DicomWriter.PATIENT_NAME), "the fixture carries the fake name");
        List<Reply> replies = List.of(post("application/dicom", dcm), postMultipart("image", "scan.dcm", dcm),
                post("application/dicom", java.util.Arrays.copyOf(dcm, dcm.length - 100)), post("application/dicom", resource("dcmtk-rle.dcm")));
        assertEquals(List.of(200, 200, 400, 400), replies.stream().map(Reply::status).toList());
        // assertClean ran on every body; also the decoded pictures carry no text chunks
        for (String line : log) assertFalse(line.contains("Zzfakename"));
    }
}
