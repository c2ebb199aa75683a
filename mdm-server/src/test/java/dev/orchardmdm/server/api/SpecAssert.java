package dev.orchardmdm.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compares an API response with one of the spec's example responses ({@code src/test/resources/spec/}),
 * field by field: the same keys in the same order; the same JSON type for every value; exact equality,
 * except for timestamps (same format, any instant) and for the data-dependent fields given in
 * {@code expected} (ids, UUIDs), which must equal the given values.
 */
public final class SpecAssert {

    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SpecAssert() {
    }

    /** The spec example {@code name}.json. */
    public static JsonNode spec(String name) {
        try (InputStream in = SpecAssert.class.getResourceAsStream("/spec/" + name + ".json")) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts that {@code actual} has the shape and values of the spec example {@code name}. */
    public static void matches(JsonNode actual, String name, Map<String, Object> expected) {
        JsonNode spec = spec(name);
        List<String> specKeys = new ArrayList<>();
        spec.fieldNames().forEachRemaining(specKeys::add);
        assertThat(actual.fieldNames()).toIterable().as("keys of %s", name).containsExactlyElementsOf(specKeys);
        for (String key : specKeys) {
            JsonNode s = spec.get(key);
            JsonNode a = actual.get(key);
            String what = name + "." + key;
            if (expected.containsKey(key)) {
                assertThat(String.valueOf(a)).as(what).isEqualTo(MAPPER.valueToTree(expected.get(key)).toString());
            } else if (s.isTextual() && TIMESTAMP.matcher(s.asText()).matches()) {
                assertThat(a.isTextual()).as(what + " is a timestamp string").isTrue();
                assertThat(a.asText()).as(what).matches(TIMESTAMP);
            } else {
                assertThat(String.valueOf(a)).as(what).isEqualTo(s.toString());
            }
            assertThat(a.getNodeType()).as(what + " type").isEqualTo(s.getNodeType());
        }
    }
}
