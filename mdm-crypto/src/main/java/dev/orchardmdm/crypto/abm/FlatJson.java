package dev.orchardmdm.crypto.abm;

import dev.orchardmdm.crypto.MalformedDataException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict parser for one flat JSON object whose values are strings, numbers, booleans or null
 * (the OAuth token JSON of an ABM server token). Nested values, duplicate keys and trailing data
 * are rejected; non-string values are returned as their literal text.
 */
final class FlatJson {
    private static final int MAX = 64 * 1024;
    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    static Map<String, String> parseObject(String text) throws MalformedDataException {
        if (text.length() > MAX) {
            throw new MalformedDataException("JSON larger than " + MAX + " characters");
        }
        return new FlatJson(text).object();
    }

    private Map<String, String> object() throws MalformedDataException {
        Map<String, String> out = new LinkedHashMap<>();
        ws();
        expect('{');
        ws();
        if (peek() == '}') {
            i++;
        } else {
            while (true) {
                ws();
                String key = string();
                ws();
                expect(':');
                ws();
                String value = value();
                if (out.put(key, value) != null) {
                    throw new MalformedDataException("duplicate JSON key " + key);
                }
                ws();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new MalformedDataException("expected , or } in JSON at " + (i - 1));
                }
            }
        }
        ws();
        if (i != s.length()) {
            throw new MalformedDataException("trailing data after the JSON object");
        }
        return out;
    }

    private String value() throws MalformedDataException {
        char c = peek();
        if (c == '"') {
            return string();
        }
        int start = i;
        while (i < s.length() && "+-.0123456789eEtruefalsn".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String literal = s.substring(start, i);
        if (literal.equals("true") || literal.equals("false") || literal.equals("null")
                || literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            return literal;
        }
        throw new MalformedDataException("unsupported JSON value at " + start + " (only flat objects are accepted)");
    }

    private String string() throws MalformedDataException {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw new MalformedDataException("control character in a JSON string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw new MalformedDataException("truncated \\u escape in JSON");
                    }
                    try {
                        sb.append((char) java.util.HexFormat.fromHexDigits(s, i, i + 4));
                    } catch (IllegalArgumentException ex) {
                        throw new MalformedDataException("invalid \\u escape in JSON");
                    }
                    i += 4;
                }
                default -> throw new MalformedDataException("invalid escape in a JSON string");
            }
        }
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private char peek() throws MalformedDataException {
        if (i >= s.length()) {
            throw new MalformedDataException("truncated JSON");
        }
        return s.charAt(i);
    }

    private char next() throws MalformedDataException {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) throws MalformedDataException {
        if (next() != c) {
            throw new MalformedDataException("expected '" + c + "' in JSON at " + (i - 1));
        }
    }
}
