package dev.orchardmdm.dep.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.orchardmdm.dep.AbmResponseException;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Strict, typed access to fields of an answer: a missing or wrongly typed required field is a typed error. */
public final class Json {

    private static final DateTimeFormatter OFFSET_NO_COLON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]xx");

    /** The largest JSON text {@link #parseObject} reads (as {@link HttpExchange#DEFAULT_MAX_BODY_BYTES}). */
    public static final int MAX_TEXT_CHARS = (int) HttpExchange.DEFAULT_MAX_BODY_BYTES;
    private static final ObjectReader READER = new ObjectMapper().reader();

    private Json() {
    }

    /**
     * Parses JSON text that must be one object (a saved or logged answer of Apple's services), bounded to
     * {@link #MAX_TEXT_CHARS}; anything else is an {@link AbmResponseException} naming {@code what}.
     */
    public static JsonNode parseObject(String text, String what) throws AbmResponseException {
        if (text == null) {
            throw new AbmResponseException(what + ": no JSON text", 0);
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new AbmResponseException(what + ": JSON text longer than " + MAX_TEXT_CHARS + " characters", 0);
        }
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (IOException e) {
            throw new AbmResponseException(what + ": malformed JSON", 0, e);
        }
        if (node == null || !node.isObject()) {
            throw new AbmResponseException(what + ": not a JSON object", 0);
        }
        return node;
    }

    /** A required string field. */
    public static String text(JsonNode node, String field, String what) throws AbmResponseException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new AbmResponseException(what + ": field '" + field + "' missing or not a string", 200);
        }
        return value.asText();
    }

    /** An optional string field (absent, null or empty give {@code null}); a non-scalar value is an error. */
    public static String optText(JsonNode node, String field, String what) throws AbmResponseException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new AbmResponseException(what + ": field '" + field + "' is not a scalar", 200);
        }
        String text = value.asText();
        return text.isEmpty() ? null : text;
    }

    /** An optional boolean field, {@code false} when absent. */
    public static boolean optBoolean(JsonNode node, String field, String what) throws AbmResponseException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new AbmResponseException(what + ": field '" + field + "' is not a boolean", 200);
        }
        return value.booleanValue();
    }

    /** An optional integral field, {@code fallback} when absent. */
    public static long optLong(JsonNode node, String field, long fallback, String what) throws AbmResponseException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new AbmResponseException(what + ": field '" + field + "' is not an integer", 200);
        }
        return value.longValue();
    }

    /** A required array field (an absent one is an error). */
    public static JsonNode array(JsonNode node, String field, String what) throws AbmResponseException {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new AbmResponseException(what + ": field '" + field + "' missing or not an array", 200);
        }
        return value;
    }

    /** An optional array of strings, empty when absent. */
    public static List<String> optTextList(JsonNode node, String field, String what) throws AbmResponseException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new AbmResponseException(what + ": field '" + field + "' is not an array", 200);
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new AbmResponseException(what + ": field '" + field + "' holds a non-string", 200);
            }
            out.add(item.asText());
        }
        return List.copyOf(out);
    }

    /** An optional timestamp ({@code 2023-09-26T08:30:39Z}, {@code +00:00} or {@code +0000}); null when absent. */
    public static Instant optInstant(JsonNode node, String field, String what) throws AbmResponseException {
        String text = optText(node, field, what);
        if (text == null) {
            return null;
        }
        Instant instant = parseInstant(text);
        if (instant == null) {
            throw new AbmResponseException(what + ": field '" + field + "' is not a timestamp", 200);
        }
        return instant;
    }

    /** An optional date ({@code 2023-01-11}); null when absent. */
    public static LocalDate optDate(JsonNode node, String field, String what) throws AbmResponseException {
        String text = optText(node, field, what);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new AbmResponseException(what + ": field '" + field + "' is not a date", 200, e);
        }
    }

    /** Parses the timestamp forms Apple's services use, or returns {@code null}. */
    public static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text, OFFSET_NO_COLON).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
