package dev.orchardmdm.protocol.schema;

import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import java.time.Instant;
import java.util.List;

/** The type of a schema key ({@code <string>}, {@code <integer>}, ...). */
public enum ValueType {
    STRING, INTEGER, REAL, BOOLEAN, DATE, DATA, ARRAY, DICTIONARY, ANY;

    /** Parses Apple's notation ({@code <string>}); {@code <url>} and {@code <hostname>} are strings. */
    public static ValueType parse(String s) {
        if (s == null) {
            return ANY;
        }
        return switch (s) {
            case "<string>", "<url>", "<hostname>" -> STRING;
            case "<integer>" -> INTEGER;
            case "<real>" -> REAL;
            case "<boolean>" -> BOOLEAN;
            case "<date>" -> DATE;
            case "<data>" -> DATA;
            case "<array>" -> ARRAY;
            case "<dictionary>" -> DICTIONARY;
            case "<any>" -> ANY;
            default -> throw new IllegalArgumentException("unknown schema type " + s);
        };
    }

    /** Whether a normalised plist value (see {@link PlistDict}) has this type; an integer is accepted as a real. */
    public boolean accepts(Object v) {
        return switch (this) {
            case STRING -> v instanceof String;
            case INTEGER -> v instanceof Long;
            case REAL -> v instanceof Double || v instanceof Long;
            case BOOLEAN -> v instanceof Boolean;
            case DATE -> v instanceof Instant;
            case DATA -> v instanceof PlistData;
            case ARRAY -> v instanceof List;
            case DICTIONARY -> v instanceof PlistDict;
            case ANY -> true;
        };
    }

    /** Apple's notation. */
    public String notation() {
        return "<" + name().toLowerCase(java.util.Locale.ROOT) + ">";
    }
}
