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

/** Starting a server on a free port, and an HTTP client whose every answer is checked for leaks. */
abstract class HttpTestBase {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    CxrServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        for (String line : log) assertClean(line);
    }

    CxrServer start(FilmAnalyzer a, ServeSettings s) {
        server = CxrServer.start(a, s.withPort(0).withRequestLog(log::add));
        return server;
    }

    CxrServer start(FilmAnalyzer a) { return start(a, ServeSettings.defaults()); }

    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return ModelCard.json().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body);
            }
        }
    }

    /** Nothing a client sees or the log holds may name a Java class, carry a stack trace or the fake identity. */
    static void assertClean(String s) {
        assertFalse(s.contains("Exception"), s);
        assertFalse(s.contains("\tat "), s);
        assertFalse(s.contains("io.cxr4j."), s);
        for (String id : new String[] {DicomWriter.PATIENT_NAME, "Zzfakename", "Qqtestperson", DicomWriter.PATIENT_ID, DicomWriter.BIRTH_DATE,
                DicomWriter.ACCESSION}) {
            assertFalse(s.contains(id), "identity leaked: " + id);
        }
    }

    Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(180)).build(), HttpResponse.BodyHandlers.ofString());
        assertClean(r.body());
        return new Reply(r.statusCode(), r.body(), r);
    }

    URI uri(String path) { return URI.create("http://127.0.0.1:" + server.port() + path); }

    Reply get(String path) throws Exception { return send(HttpRequest.newBuilder(uri(path)).GET()); }

    Reply post(String contentType, byte[] body) throws Exception { return post("/api/v1/analyze", contentType, body); }

    Reply post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b);
    }

    static String boundary = "----cxr4jTestBoundary7MA4YWxkTrZu0gW";

    static byte[] multipart(String field, String fileName, byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(content);
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    Reply postMultipart(String field, String fileName, byte[] content) throws Exception {
        return post("multipart/form-data; boundary=" + boundary, multipart(field, fileName, content));
    }

    static BufferedImage png(String base64) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        assertNotNull(img, "not a PNG");
        return img;
    }

    static void assertError(Reply r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        JsonNode j = r.json();
        assertEquals(error, j.get("error").asText(), r.body());
        assertFalse(j.get("reason").asText().isBlank(), r.body());
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ServerTest.class.getResourceAsStream("/io/cxr4j/image/dicom/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    /** 12 of 16 bits, MONOCHROME1, with a window; a ramp so the film has structure. */
    static byte[] dicom12(String ts, String photometric, int side) {
        int[] v = new int[side * side];
        for (int i = 0; i < v.length; i++) v[i] = 1000 + (i % side) * 2000 / side;
        return DicomWriter.xray(ts, side, side, 16, 12, false, photometric)
                .str(0x00281050, "DS", "2000").str(0x00281051, "DS", "2000").pixels16(v).bytes();
    }

    /** Sends a request by hand (headers as given, then the body), and reads the status line and body. */
    String raw(String headers, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertClean(reply);
            return reply;
        }
    }

}
