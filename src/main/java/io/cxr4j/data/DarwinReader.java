package io.cxr4j.data;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxr4j.mask.Region;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads V7 Darwin JSON annotation files, version 1.0 ({@code image}, {@code annotations} with
 * {@code polygon.path} or {@code complex_polygon.path}) and 2.0 ({@code item.slots[0]},
 * {@code polygon.paths}). Tags are annotations with a {@code tag} object.
 */
public final class DarwinReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DarwinReader() {}

    public static DarwinFile read(Path file) throws BadInputException {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) throw new BadInputException("annotation file not found");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException("cannot read annotation file: " + e.getMessage());
        }
        if (bytes.length == 0) throw new BadInputException("empty annotation file (0 bytes)");
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonParseException e) {
            throw new BadInputException("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new BadInputException("malformed or truncated JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException("cannot read annotation JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new BadInputException("not a Darwin JSON object");
        return parse(root);
    }

    static DarwinFile parse(JsonNode root) throws BadInputException {
        String version = root.path("version").asText("");
        boolean v2 = version.startsWith("2") || root.has("item");
        String name;
        int w, h;
        if (v2) {
            JsonNode item = root.path("item");
            JsonNode slot = item.path("slots").path(0);
            if (slot.isMissingNode()) throw new BadInputException("Darwin 2.0 file has no item.slots[0]");
            name = item.path("name").asText(null);
            JsonNode src = slot.path("source_files").path(0).path("file_name");
            if (src.isTextual()) name = src.asText();
            w = requireInt(slot, "width", "item.slots[0].width");
            h = requireInt(slot, "height", "item.slots[0].height");
        } else {
            JsonNode image = root.path("image");
            if (!image.isObject()) throw new BadInputException("not a Darwin JSON file: no \"image\" object (nor Darwin 2.0 \"item\")");
            name = image.path("filename").asText(image.path("original_filename").asText(null));
            w = requireInt(image, "width", "image.width");
            h = requireInt(image, "height", "image.height");
            version = version.isEmpty() ? "1.0" : version;
        }
        JsonNode anns = root.path("annotations");
        if (!anns.isArray()) throw new BadInputException("no \"annotations\" array");
        List<Region> regions = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int idx = 0;
        for (JsonNode a : anns) {
            idx++;
            String an = a.path("name").asText("");
            if (a.has("tag")) {
                tags.add(an);
                continue;
            }
            List<double[]> paths = new ArrayList<>();
            if (a.has("complex_polygon")) {
                JsonNode cp = a.get("complex_polygon");
                JsonNode ps = cp.has("paths") ? cp.get("paths") : cp.get("path");
                readPathList(ps, paths, an, idx);
            } else if (a.has("polygon")) {
                JsonNode p = a.get("polygon");
                if (p.has("paths")) readPathList(p.get("paths"), paths, an, idx);
                else if (p.has("path")) paths.add(readPath(p.get("path"), an, idx));
                else throw new BadInputException(an + " annotation #" + idx + " has a polygon without \"path\"");
            } else {
                continue; // bounding boxes, keypoints and other shapes are not used
            }
            regions.add(new Region(an, paths));
        }
        return new DarwinFile(v2 ? version : version, name, w, h, regions, tags);
    }

    private static int requireInt(JsonNode obj, String field, String label) throws BadInputException {
        JsonNode n = obj.path(field);
        if (!n.canConvertToInt() || !n.isNumber()) throw new BadInputException("missing or non-numeric " + label);
        int v = n.asInt();
        if (v <= 0) throw new BadInputException(label + " must be positive, is " + v);
        return v;
    }

    private static void readPathList(JsonNode ps, List<double[]> out, String name, int idx) throws BadInputException {
        if (ps == null || !ps.isArray()) throw new BadInputException(name + " annotation #" + idx + " has no list of paths");
        if (ps.size() > 0 && ps.get(0).isObject()) { // a single path written without the outer list
            out.add(readPath(ps, name, idx));
            return;
        }
        for (JsonNode p : ps) out.add(readPath(p, name, idx));
    }

    private static double[] readPath(JsonNode path, String name, int idx) throws BadInputException {
        if (path == null || !path.isArray()) throw new BadInputException(name + " annotation #" + idx + " has a path that is not a list of points");
        double[] xy = new double[path.size() * 2];
        int k = 0;
        for (JsonNode pt : path) {
            JsonNode x = pt.get("x"), y = pt.get("y");
            if (x == null || y == null || !x.isNumber() || !y.isNumber()) {
                throw new BadInputException(name + " annotation #" + idx + " has a point without numeric x/y");
            }
            xy[k++] = x.asDouble();
            xy[k++] = y.asDouble();
        }
        return xy;
    }
}
