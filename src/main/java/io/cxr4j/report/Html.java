package io.cxr4j.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Tiny helpers for self-contained HTML pages (images embedded as data URIs). */
public final class Html {
    private Html() {}

    public static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public static String img(BufferedImage bi, String alt, String style) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(bi, "png", bos);
        return "<img alt=\"" + esc(alt) + "\" style=\"" + style + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(bos.toByteArray()) + "\">";
    }

    public static String img(Path png, String alt, String style) throws IOException {
        if (!Files.isRegularFile(png)) return "<p><em>(" + esc(alt) + " not available)</em></p>";
        return "<img alt=\"" + esc(alt) + "\" style=\"" + style + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(Files.readAllBytes(png)) + "\">";
    }

    public static final String STYLE = """
            <style>
            body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#222}
            h1{margin-bottom:4px} h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
            .warn{background:#fff4e5;border:1px solid #f0a040;padding:10px 14px;border-radius:6px}
            .key{background:#eef6ff;border:1px solid #7aa7e0;padding:10px 14px;border-radius:6px;font-size:1.1em}
            table{border-collapse:collapse;margin:8px 0} td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
            th{background:#f3f3f3} td:first-child,th:first-child{text-align:left}
            .gallery{display:flex;flex-wrap:wrap;gap:12px} .card{width:230px;font-size:12px}
            .card img{width:230px;height:230px;object-fit:contain;background:#000}
            .muted{color:#777;font-size:0.9em}
            </style>
            """;
}
