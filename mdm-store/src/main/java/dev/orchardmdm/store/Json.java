package dev.orchardmdm.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** JSON text columns (string lists and string maps) read and written with one shared, immutable mapper. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    private Json() {
    }

    static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON", e);
        }
    }

    static List<String> stringList(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return List.copyOf(MAPPER.readValue(json, LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON list is malformed", e);
        }
    }

    static Map<String, String> stringMap(byte[] json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Map.copyOf(MAPPER.readValue(json, MAP));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored JSON map is malformed", e);
        }
    }

    static byte[] bytes(Map<String, String> map) {
        try {
            return MAPPER.writeValueAsBytes(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("map cannot be written as JSON", e);
        }
    }

    /** Checks that {@code json} is well-formed JSON (null allowed). */
    static String checked(String json, String what) {
        if (json == null) {
            return null;
        }
        try {
            MAPPER.readTree(json);
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON");
        }
    }
}
