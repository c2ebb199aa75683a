package dev.orchardmdm.dep.abmapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;

/** Strict reading of JSON:API documents ({@code data}, {@code type}, {@code id}, {@code attributes}). */
final class JsonApi {

    private JsonApi() {
    }

    /** One resource object of the expected type; returns its {@code attributes} (an empty object when absent). */
    static JsonNode attributes(JsonNode resource, String type, String what) throws AbmResponseException {
        checkIdentifier(resource, type, what);
        JsonNode attributes = resource.get("attributes");
        if (attributes == null || attributes.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!attributes.isObject()) {
            throw new AbmResponseException(what + ": 'attributes' is not an object", 200);
        }
        return attributes;
    }

    /** Checks a resource identifier ({@code type} and {@code id}) and returns the id. */
    static String checkIdentifier(JsonNode resource, String type, String what) throws AbmResponseException {
        if (resource == null || !resource.isObject()) {
            throw new AbmResponseException(what + ": a resource is not a JSON object", 200);
        }
        String actual = Json.text(resource, "type", what);
        if (!actual.equals(type)) {
            throw new AbmResponseException(what + ": resource of type '" + actual + "' where '" + type
                    + "' was expected", 200);
        }
        return Json.text(resource, "id", what);
    }

    /** The top-level {@code data} member: must be an object (or null when {@code nullable}). */
    static JsonNode singleData(JsonNode document, String what, boolean nullable) throws AbmResponseException {
        JsonNode data = document.get("data");
        if (data == null) {
            throw new AbmResponseException(what + ": 'data' missing", 200);
        }
        if (data.isNull() && nullable) {
            return null;
        }
        if (!data.isObject()) {
            throw new AbmResponseException(what + ": 'data' is not an object", 200);
        }
        return data;
    }
}
