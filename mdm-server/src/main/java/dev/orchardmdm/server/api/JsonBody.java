package dev.orchardmdm.server.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed JSON object request body with typed, validating accessors. Every refusal is a 400
 * {@link ApiException} that names the field.
 */
public final class JsonBody {

    private final ObjectNode node;

    public JsonBody(ObjectNode node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    /**
     * Parses a request body with the admin API's mapper ({@link ApiJson#newMapper()}): an empty body is an
     * empty object; anything but one JSON object within the mapper's limits is a 400.
     */
    public static JsonBody parse(byte[] raw, ObjectMapper mapper) throws ApiException {
        if (raw.length == 0) {
            return new JsonBody(mapper.createObjectNode());
        }
        JsonNode parsed;
        try {
            parsed = mapper.readTree(raw);
        } catch (JacksonException e) {
            throw ApiException.field("non_field_errors", "JSON parse error: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("Unreadable body.");
        }
        if (parsed == null || parsed.isMissingNode()) {
            return new JsonBody(mapper.createObjectNode());
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.field("non_field_errors", "Invalid data. Expected a dictionary.");
        }
        return new JsonBody(object);
    }

    /** Whether the field is present (even as {@code null}). */
    public boolean has(String field) {
        return node.has(field);
    }

    /** Whether the field is present and not {@code null}. */
    public boolean present(String field) {
        return node.hasNonNull(field);
    }

    /** A required non-blank string of at most {@code maxLength} characters. */
    public String string(String field, int maxLength) throws ApiException {
        return optString(field, maxLength).orElseThrow(() -> ApiException.field(field, "This field is required."));
    }

    /** An optional string (absent or null is empty; blank is refused) of at most {@code maxLength}. */
    public Optional<String> optString(String field, int maxLength) throws ApiException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiException.field(field, "Not a valid string.");
        }
        String s = v.textValue();
        if (s.isBlank()) {
            throw ApiException.field(field, "This field may not be blank.");
        }
        if (s.length() > maxLength) {
            throw ApiException.field(field, "Ensure this field has no more than " + maxLength + " characters.");
        }
        return Optional.of(s);
    }

    /** An optional string that may be empty (absent or null gives {@code fallback}). */
    public String stringOrEmpty(String field, int maxLength, String fallback) throws ApiException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw ApiException.field(field, "Not a valid string.");
        }
        if (v.textValue().length() > maxLength) {
            throw ApiException.field(field, "Ensure this field has no more than " + maxLength + " characters.");
        }
        return v.textValue();
    }

    /** A required boolean. */
    public boolean bool(String field) throws ApiException {
        return optBool(field).orElseThrow(() -> ApiException.field(field, "This field is required."));
    }

    /** An optional boolean. */
    public Optional<Boolean> optBool(String field) throws ApiException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw ApiException.field(field, "Must be a valid boolean.");
        }
        return Optional.of(v.booleanValue());
    }

    /** An optional integer within [{@code min}, {@code max}]. */
    public Optional<Long> optLong(String field, long min, long max) throws ApiException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.field(field, "A valid integer is required.");
        }
        long l = v.longValue();
        if (l < min) {
            throw ApiException.field(field, "Ensure this value is greater than or equal to " + min + ".");
        }
        if (l > max) {
            throw ApiException.field(field, "Ensure this value is less than or equal to " + max + ".");
        }
        return Optional.of(l);
    }

    /** An optional integer within [{@code min}, {@code max}], {@code fallback} when absent. */
    public int optInt(String field, int min, int max, int fallback) throws ApiException {
        return optLong(field, min, max).map(Long::intValue).orElse(fallback);
    }

    /** A required integer within [{@code min}, {@code max}]. */
    public long longValue(String field, long min, long max) throws ApiException {
        return optLong(field, min, max).orElseThrow(() -> ApiException.field(field, "This field is required."));
    }

    /** An optional primary key reference ({@code null} allowed). */
    public Optional<Long> optId(String field) throws ApiException {
        JsonNode v = node.get(field);
        if (v != null && !v.isNull() && (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 1)) {
            throw ApiException.field(field, "Incorrect type. Expected pk value.");
        }
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.longValue());
    }

    /** An optional list of strings, each at most {@code maxLength}, at most {@code maxItems} items. */
    public Optional<List<String>> optStrings(String field, int maxItems, int maxLength) throws ApiException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isArray()) {
            throw ApiException.field(field, "Expected a list of items.");
        }
        if (v.size() > maxItems) {
            throw ApiException.field(field, "Ensure this field has no more than " + maxItems + " elements.");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual() || item.textValue().length() > maxLength) {
                throw ApiException.field(field, "Each item must be a string of at most " + maxLength + " characters.");
            }
            out.add(item.textValue());
        }
        return Optional.of(List.copyOf(out));
    }

    /** The underlying JSON (read-only use). */
    public ObjectNode node() {
        return node.deepCopy();
    }
}
