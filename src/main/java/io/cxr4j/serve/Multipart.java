package io.cxr4j.serve;

import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;

/**
 * One field of a multipart/form-data body already held in memory, parsed by Jetty's parser with every part
 * kept in memory (no files directory, so nothing can be written to disk).
 */
final class Multipart {
    private Multipart() {}

    static byte[] field(String contentType, byte[] body, String name) throws ApiError {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) throw new ApiError(400, "bad multipart body", "the Content-Type has no boundary");
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxMemoryFileSize(Long.MAX_VALUE); // never spill to a file (and no files directory is set)
        parser.setUseFilesForPartsWithoutFileName(false);
        parser.setMaxParts(16);
        parser.setMaxLength(body.length);
        try (MultiPartFormData.Parts parts = parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(body))).get()) {
            MultiPart.Part part = parts.getFirst(name);
            if (part == null) throw new ApiError(400, "no image", "the multipart body has no field '" + name + "'");
            ByteBuffer b = Content.Source.asByteBuffer(part.getContentSource());
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (ExecutionException | java.io.IOException | RuntimeException e) {
            throw new ApiError(400, "bad multipart body", "the multipart/form-data body cannot be parsed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(400, "bad multipart body", "interrupted while parsing");
        }
    }
}
