/**
 * {@code cxr serve}: a small HTTP service and web page over {@link io.cxr4j.analysis.XrayAnalyzer}. Films
 * arrive as request bodies (PNG, JPEG, DICOM, or a multipart field {@code image}), are held in memory only
 * for the length of the request, and every analysis goes through the analyzer behind
 * {@link io.cxr4j.serve.FilmAnalyzer}. Limits (body size, pixels, a bounded queue) answer 413 and 503
 * before work is done; bad input never gets a 500, and no response carries a stack trace, an exception
 * name, a file path or a patient's identity. The web page is plain HTML/CSS/JS served from the jar.
 * Research tool, not a diagnostic device. Nothing here imports {@code cli}.
 */
package io.cxr4j.serve;
