package io.cxr4j.quality.brisque;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for the YAML subset that OpenCV's {@code cv::FileStorage} writes: block mappings and
 * sequences by indentation, flow sequences {@code [ ... ]} and flow mappings {@code { k:v }} that may
 * span lines, {@code !!opencv-matrix} tags (the tagged mapping is returned as is), and plain or quoted
 * scalars. Mappings become {@link Map}s (in file order), sequences {@link List}s, scalars
 * {@link String}s; {@link #number} and friends convert them. Anything outside that subset is refused
 * with an {@link IllegalArgumentException} naming the line.
 */
final class OpenCvYaml {
    private record Line(int no, int indent, String text) {}

    private final List<Line> lines = new ArrayList<>();
    private int pos;

    private OpenCvYaml(String text) {
        String[] raw = text.split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String s = raw[i];
            String t = s.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("%") || t.equals("---") || t.equals("...")) continue;
            int indent = 0;
            while (indent < s.length() && s.charAt(indent) == ' ') indent++;
            if (indent < s.length() && s.charAt(indent) == '\t') throw error(i + 1, "tab in indentation");
            lines.add(new Line(i + 1, indent, s.substring(indent).stripTrailing()));
        }
    }

    /** Parses a whole file; the top level must be a mapping. */
    static Map<String, Object> parse(String text) {
        OpenCvYaml p = new OpenCvYaml(text);
        if (p.lines.isEmpty()) throw new IllegalArgumentException("empty YAML document");
        Object root = p.block(p.lines.get(0).indent());
        if (p.pos < p.lines.size()) throw error(p.lines.get(p.pos).no(), "unexpected indentation");
        if (!(root instanceof Map<?, ?>)) throw new IllegalArgumentException("YAML top level is not a mapping");
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) root;
        return m;
    }

    private static IllegalArgumentException error(int line, String what) {
        return new IllegalArgumentException("YAML line " + line + ": " + what);
    }

    private static boolean isSeqItem(String t) { return t.equals("-") || t.startsWith("- "); }

    private Object block(int indent) {
        Line first = lines.get(pos);
        return isSeqItem(first.text()) ? sequence(indent) : mapping(indent);
    }

    private Map<String, Object> mapping(int indent) {
        Map<String, Object> m = new LinkedHashMap<>();
        while (pos < lines.size() && lines.get(pos).indent() == indent && !isSeqItem(lines.get(pos).text())) {
            Line l = lines.get(pos);
            int colon = keyColon(l.text());
            if (colon < 0) throw error(l.no(), "expected 'key: value'");
            String key = unquote(l.text().substring(0, colon).strip());
            String rest = l.text().substring(colon + 1).strip();
            pos++;
            if (m.put(key, value(rest, l, indent)) != null) throw error(l.no(), "duplicate key '" + key + "'");
        }
        return m;
    }

    private List<Object> sequence(int indent) {
        List<Object> list = new ArrayList<>();
        while (pos < lines.size() && lines.get(pos).indent() == indent && isSeqItem(lines.get(pos).text())) {
            Line l = lines.get(pos);
            String rest = l.text().substring(1).strip();
            if (!rest.isEmpty() && !rest.startsWith("[") && !rest.startsWith("{") && keyColon(rest) > 0) {
                // "- key: value" opens a mapping whose keys sit where this key starts
                int keyIndent = indent + l.text().indexOf(rest);
                lines.set(pos, new Line(l.no(), keyIndent, rest));
                list.add(mapping(keyIndent));
                continue;
            }
            pos++;
            list.add(value(rest, l, indent));
        }
        return list;
    }

    /** The value after "key:" or "-": empty (a nested block or null), a tag, a flow collection or a scalar. */
    private Object value(String rest, Line l, int indent) {
        if (rest.startsWith("!!")) {
            int sp = rest.indexOf(' ');
            rest = sp < 0 ? "" : rest.substring(sp + 1).strip();
        }
        if (rest.isEmpty()) {
            if (pos < lines.size() && lines.get(pos).indent() > indent) return block(lines.get(pos).indent());
            return null;
        }
        if (rest.startsWith("[") || rest.startsWith("{")) {
            StringBuilder sb = new StringBuilder(rest);
            while (!balanced(sb)) {
                if (pos >= lines.size()) throw error(l.no(), "unclosed bracket");
                sb.append(' ').append(lines.get(pos++).text());
            }
            Flow f = new Flow(sb.toString(), l.no());
            Object v = f.value();
            f.skipSpace();
            if (f.i != f.s.length()) throw error(l.no(), "text after closing bracket");
            return v;
        }
        return unquote(rest);
    }

    private static int keyColon(String t) {
        if (t.startsWith("\"") || t.startsWith("'")) {
            int end = t.indexOf(t.charAt(0), 1);
            if (end < 0) return -1;
            int c = t.indexOf(':', end);
            return c;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == ':' && (i + 1 == t.length() || t.charAt(i + 1) == ' ')) return i;
            if (c == '[' || c == '{') return -1;
        }
        return -1;
    }

    private static boolean balanced(CharSequence s) {
        int depth = 0;
        boolean quote = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') quote = !quote;
            else if (!quote && (c == '[' || c == '{')) depth++;
            else if (!quote && (c == ']' || c == '}')) depth--;
        }
        return depth <= 0;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** Flow collections: [a, b, [c]] and {k:v, k2: v2}. */
    private static final class Flow {
        final String s;
        final int line;
        int i;

        Flow(String s, int line) { this.s = s; this.line = line; }

        void skipSpace() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        Object value() {
            skipSpace();
            if (i >= s.length()) throw error(line, "missing value");
            char c = s.charAt(i);
            if (c == '[') {
                i++;
                List<Object> list = new ArrayList<>();
                skipSpace();
                if (peek(']')) { i++; return list; }
                while (true) {
                    list.add(value());
                    skipSpace();
                    if (peek(',')) { i++; continue; }
                    if (peek(']')) { i++; return list; }
                    throw error(line, "expected ',' or ']' in a flow sequence");
                }
            }
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                skipSpace();
                if (peek('}')) { i++; return m; }
                while (true) {
                    skipSpace();
                    int start = i;
                    while (i < s.length() && s.charAt(i) != ':' && s.charAt(i) != '}' && s.charAt(i) != ',') i++;
                    if (!peek(':')) throw error(line, "expected 'key:' in a flow mapping");
                    String key = unquote(s.substring(start, i).strip());
                    i++;
                    m.put(key, value());
                    skipSpace();
                    if (peek(',')) { i++; continue; }
                    if (peek('}')) { i++; return m; }
                    throw error(line, "expected ',' or '}' in a flow mapping");
                }
            }
            int start = i;
            if (c == '"' || c == '\'') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) throw error(line, "unclosed quote");
                i = end + 1;
                return s.substring(start + 1, end);
            }
            while (i < s.length() && ",]}".indexOf(s.charAt(i)) < 0) i++;
            return s.substring(start, i).strip();
        }

        boolean peek(char c) { return i < s.length() && s.charAt(i) == c; }
    }

    // ---- conversions -------------------------------------------------------------------------------------------

    static double number(Object o, String what) {
        if (!(o instanceof String s)) throw new IllegalArgumentException(what + " is not a number");
        switch (s.toLowerCase(java.util.Locale.ROOT)) { // OpenCV writes .Nan, .Inf, -.Inf
            case ".nan": return Double.NaN;
            case ".inf", "+.inf": return Double.POSITIVE_INFINITY;
            case "-.inf": return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(what + " is not a number: '" + s + "'");
                }
        }
    }

    static int integer(Object o, String what) {
        double d = number(o, what);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw new IllegalArgumentException(what + " is not an integer");
        return (int) d;
    }

    static double[] numbers(Object o, String what) {
        if (!(o instanceof List<?> l)) throw new IllegalArgumentException(what + " is not a list of numbers");
        double[] d = new double[l.size()];
        for (int k = 0; k < d.length; k++) d[k] = number(l.get(k), what);
        return d;
    }

    static Map<?, ?> map(Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException(what + " is missing or not a mapping");
        return m;
    }

    static List<?> list(Object o, String what) {
        if (!(o instanceof List<?> l)) throw new IllegalArgumentException(what + " is missing or not a list");
        return l;
    }

    /**
     * An {@code !!opencv-matrix} block (rows, cols, dt, data) as a row-major array. Only single-channel
     * element types are accepted.
     */
    static double[] matrix(Object o, String what, int rows, int cols) {
        Map<?, ?> m = map(o, what);
        int r = integer(m.get("rows"), what + ".rows"), c = integer(m.get("cols"), what + ".cols");
        Object dt = m.get("dt");
        if (!(dt instanceof String t) || t.length() != 1 || "ucwsifd".indexOf(t.charAt(0)) < 0) {
            throw new IllegalArgumentException(what + " has an unsupported element type " + dt);
        }
        if (r != rows || c != cols) {
            throw new IllegalArgumentException(what + " is " + r + "x" + c + ", expected " + rows + "x" + cols);
        }
        double[] d = numbers(m.get("data"), what + ".data");
        if (d.length != r * c) throw new IllegalArgumentException(what + " has " + d.length + " values, expected " + r * c);
        return d;
    }
}
