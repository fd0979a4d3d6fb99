package io.cxr4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cxr4j.analysis.Analysis;
import io.cxr4j.analysis.NotFrontalException;
import io.cxr4j.analysis.XrayInput;
import io.cxr4j.image.ImageReader;
import io.cxr4j.image.TooLargeImageException;
import io.cxr4j.model.ModelCard;
import io.cxr4j.util.BadInputException;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code cxr serve} HTTP server (Javalin on Jetty): the JSON API under {@code /api/v1} and the web page
 * at {@code /}. See docs/serve.md for the endpoints and limits. Uploads stay in memory for the length of a
 * request; the page and the OpenAPI description come from the classpath only.
 */
public final class CxrServer implements AutoCloseable {
    public static final String API = "/api/v1";
    static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "application/dicom");
    static final String MULTIPART = "multipart/form-data";
    static final String FIELD = "image";
    private static final String WEB = "/io/cxr4j/serve/web/";
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/app.js", "app.js", "/style.css", "style.css");
    /** Java class-like words (FooException, BarError) that a library might put in a message. */
    private static final Pattern CLASS_NAMES = Pattern.compile("[A-Za-z_$][\\w.$]*(Exception|Error)\\b");

    private final FilmAnalyzer analyzer;
    private final ServeSettings settings;
    private final Admission admission;
    private final Javalin app;

    private CxrServer(FilmAnalyzer analyzer, ServeSettings settings) {
        this.analyzer = analyzer;
        this.settings = settings;
        this.admission = new Admission(settings.concurrency(), settings.queue());
        this.app = Javalin.create(config -> {
            config.jetty.host = settings.bind();
            config.jetty.port = settings.port();
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.generateEtags = false;
            config.requestLogger.http((ctx, ms) -> settings.requestLog().accept(String.format(Locale.ROOT, "%s %s %d %.0f ms",
                    ctx.method().name(), ctx.path(), ctx.statusCode(), ms)));
            config.routes.get(API + "/health", this::health);
            config.routes.get(API + "/model", ctx -> json(ctx, 200, analyzer.model().cardJson()));
            config.routes.post(API + "/analyze", this::analyze);
            config.routes.get(API + "/openapi.json", ctx -> resource(ctx, "/io/cxr4j/serve/openapi.json", "application/json"));
            PAGES.forEach((path, file) -> config.routes.get(path, ctx -> resource(ctx, WEB + file, contentTypeOf(file))));
            config.routes.exception(Exception.class, (e, ctx) -> {
                settings.requestLog().accept("internal error in " + ctx.method().name() + " " + ctx.path() + ": " + e);
                error(ctx, 500, "internal error", "the server could not complete the request");
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) error(ctx, 404, "not found", "no such endpoint: see " + API + "/openapi.json");
            });
        });
    }

    /** Starts a server (it owns {@code analyzer} from now on and closes it on {@link #close}). */
    public static CxrServer start(FilmAnalyzer analyzer, ServeSettings settings) {
        CxrServer s = new CxrServer(analyzer, settings);
        s.app.start();
        return s;
    }

    /** The port listened on (the actual one when started with port 0). */
    public int port() { return app.port(); }

    @Override
    public void close() {
        app.stop();
        analyzer.close();
    }

    private void health(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("model", analyzer.model().id());
        m.put("classes", analyzer.model().card().classes());
        m.put("disclaimer", ModelCard.DISCLAIMER);
        json(ctx, 200, m);
    }

    private void analyze(Context ctx) throws Exception {
        ctx.header("Cache-Control", "no-store");
        try {
            String type = mediaType(ctx.header("Content-Type"));
            if (!IMAGE_TYPES.contains(type) && !type.equals(MULTIPART)) {
                throw new ApiError(415, "unsupported content type", "send the film as the body with Content-Type image/png, "
                        + "image/jpeg or application/dicom, or as the multipart/form-data field '" + FIELD + "'"
                        + (type.isEmpty() ? " (no Content-Type was given)" : " (got " + clip(type) + ")"));
            }
            boolean heatmap = heatmapWanted(ctx.queryParam("heatmap"));
            long declared = ctx.req().getContentLengthLong();
            if (declared > settings.maxBodyBytes()) throw tooLarge(declared);
            if (!admission.tryEnter()) {
                drain(ctx.req().getInputStream(), settings.maxBodyBytes());
                ctx.header("Retry-After", Integer.toString(settings.retryAfterSeconds()));
                throw new ApiError(503, "busy", "too many films are being analysed; retry after " + settings.retryAfterSeconds() + " s");
            }
            try {
                byte[] body = readBounded(ctx.req().getInputStream(), declared);
                byte[] film = type.equals(MULTIPART) ? Multipart.field(ctx.header("Content-Type"), body, FIELD) : body;
                body = null; // the film alone is kept (for the length of this request)
                checkPixels(film);
                // the pictures are drawn and encoded in the running slot too, so that at most `concurrency`
                // requests use the CPU at once and the queue stays first come, first served
                Map<String, Object> answer = admission.run(() -> result(analyzer.analyze(XrayInput.of("upload", film), heatmap)));
                json(ctx, 200, answer);
            } finally {
                admission.leave();
            }
        } catch (ApiError e) {
            error(ctx, e.status, e.error, e.reason);
        } catch (NotFrontalException e) {
            error(ctx, 422, NotFrontalException.PREFIX, e.reason());
        } catch (TooLargeImageException e) {
            error(ctx, 413, "image too large", e.getMessage());
        } catch (BadInputException e) {
            error(ctx, 400, "cannot read the image", e.getMessage());
        }
    }

    /** The {@code heatmap} query parameter: absent or true computes the heat map, false skips it (a faster answer). */
    static boolean heatmapWanted(String value) throws ApiError {
        if (value == null || value.equals("true") || value.equals("1")) return true;
        if (value.equals("false") || value.equals("0")) return false;
        throw new ApiError(400, "bad query", "heatmap must be true or false (got " + clip(value) + ")");
    }

    /** Refuses an image whose header claims more pixels than the limit, before any pixel is decoded. */
    private void checkPixels(byte[] film) throws BadInputException, ApiError {
        ImageReader.Header h = ImageReader.header(film, "upload");
        long pixels = (long) h.width() * h.height();
        if (pixels > settings.maxPixels()) {
            throw new ApiError(413, "image too large", "the image is " + h.width() + "x" + h.height() + " pixels, above the limit of "
                    + settings.maxPixels() + " pixels; refused without decoding");
        }
    }

    private ApiError tooLarge(long bytes) {
        return new ApiError(413, "upload too large", (bytes > 0 ? "the body is " + bytes + " bytes" : "the body is larger than the limit")
                + "; the limit is " + settings.maxBodyBytes() + " bytes");
    }

    /** The body, at most the size limit; a longer one (whatever its Content-Length said) is a 413. */
    private byte[] readBounded(InputStream in, long declared) throws IOException, ApiError {
        long max = settings.maxBodyBytes();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(declared > 0 ? (int) declared : 64 * 1024);
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            total += n;
            if (total > max) throw tooLarge(-1);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads and drops a body the server will not use (up to the limit), so the client gets its answer cleanly. */
    private static void drain(InputStream in, long max) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; total <= max && (n = in.read(buf)) >= 0; ) total += n;
    }

    private Map<String, Object> result(Analysis a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("predicted", a.predicted());
        m.put("confidence", round(a.confidence()));
        Map<String, Object> p = new LinkedHashMap<>();
        a.probabilityMap().forEach((k, v) -> p.put(k, round(v)));
        m.put("probabilities", p);
        m.put("p_pneumonia", round(a.pneumonia()));
        m.put("lung_mask", a.lungMaskSource());
        m.put("warnings", a.warnings());
        m.put("quality_flags", a.qualityFlags());
        m.put("corrections", a.corrections());
        m.put("input_check", a.inputChecked() ? "passed" : "off");
        m.put("image_size", Map.of("width", a.image().width(), "height", a.image().height()));
        m.put("overlay_png", Pictures.overlay(a.image(), a.lungMask()));
        if (a.heatmap() != null) m.put("heatmap_png", Pictures.heatmap(a.image(), a.lungMask(), a.heatmap()));
        m.put("model", analyzer.model().id());
        m.put("disclaimer", ModelCard.DISCLAIMER);
        return m;
    }

    private static double round(double v) { return Math.round(v * 1e4) / 1e4; }

    /** The media type without parameters, lower case; "" when absent. */
    static String mediaType(String header) {
        if (header == null) return "";
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String clip(String s) { return s.length() > 60 ? s.substring(0, 60) + "..." : s; }

    private static void error(Context ctx, int status, String error, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("reason", reason == null ? error : CLASS_NAMES.matcher(reason).replaceAll("read error").replace('\n', ' '));
        json(ctx, status, m);
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8").result(ModelCard.json().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void resource(Context ctx, String name, String contentType) throws IOException {
        try (InputStream in = CxrServer.class.getResourceAsStream(name)) {
            if (in == null) {
                error(ctx, 404, "not found", "no such resource");
                return;
            }
            ctx.status(200).contentType(contentType).header("X-Content-Type-Options", "nosniff").result(in.readAllBytes());
        }
    }

    private static String contentTypeOf(String file) {
        if (file.endsWith(".html")) return "text/html; charset=utf-8";
        if (file.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (file.endsWith(".css")) return "text/css; charset=utf-8";
        return "application/octet-stream";
    }

    static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    static List<String> imageTypes() { return List.copyOf(IMAGE_TYPES); }
}
