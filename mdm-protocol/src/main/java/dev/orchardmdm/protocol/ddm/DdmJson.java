package dev.orchardmdm.protocol.ddm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistLimitExceededException;
import dev.orchardmdm.protocol.ProtocolException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** JSON reading (bounded, strict) and conversion between JSON trees and plist values, for DDM documents. */
public final class DdmJson {
    /** Largest accepted DDM JSON document. */
    public static final int MAX_BYTES = 10 * 1024 * 1024;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                .maxStringLength(MAX_BYTES).maxNumberLength(64).build());
    }

    private DdmJson() {
    }

    /** Parses a JSON object. */
    public static ObjectNode readObject(byte[] json) throws ProtocolException {
        if (json == null || json.length == 0) {
            throw new InvalidMessageException("empty JSON document");
        }
        if (json.length > MAX_BYTES) {
            throw new PlistLimitExceededException("JSON document larger than " + MAX_BYTES + " bytes");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidMessageException("invalid JSON: " + PlistDict.printable(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new InvalidMessageException("invalid JSON", e);
        }
        if (!(n instanceof ObjectNode o)) {
            throw new InvalidMessageException("JSON document must be an object");
        }
        return o;
    }

    /** Serialises a tree (compact, UTF-8). */
    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Converts a JSON tree to a plist value: objects to {@link PlistDict}, integers to Long, ... */
    public static Object toPlistValue(JsonNode n) throws InvalidMessageException {
        if (n.isObject()) {
            PlistDict.Builder b = PlistDict.builder();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.put(e.getKey(), toPlistValue(e.getValue()));
            }
            return b.build();
        } else if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                out.add(toPlistValue(e));
            }
            return Collections.unmodifiableList(out);
        } else if (n.isTextual()) {
            return n.textValue();
        } else if (n.isBoolean()) {
            return n.booleanValue();
        } else if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                throw new InvalidMessageException("integer out of range");
            }
            return n.longValue();
        } else if (n.isNumber()) {
            return n.doubleValue();
        }
        throw new InvalidMessageException("unsupported JSON value: " + n.getNodeType());
    }

    /** Converts a plist dictionary to a JSON object; data becomes base64, dates ISO-8601. */
    public static ObjectNode toJson(PlistDict dict) {
        return (ObjectNode) toJsonValue(dict);
    }

    /** Canonical JSON bytes of a dictionary: keys sorted at every level, compact; for content hashes. */
    public static byte[] canonical(PlistDict dict) {
        return write(toJsonValue(dict, true));
    }

    static JsonNode toJsonValue(Object v) {
        return toJsonValue(v, false);
    }

    private static JsonNode toJsonValue(Object v, boolean sorted) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof PlistDict d) {
            ObjectNode o = f.objectNode();
            Map<String, Object> entries = sorted ? new java.util.TreeMap<>(d.asMap()) : d.asMap();
            entries.forEach((k, val) -> o.set(k, toJsonValue(val, sorted)));
            return o;
        } else if (v instanceof List<?> l) {
            ArrayNode a = f.arrayNode();
            l.forEach(e -> a.add(toJsonValue(e, sorted)));
            return a;
        } else if (v instanceof String s) {
            return f.textNode(s);
        } else if (v instanceof Long l) {
            return f.numberNode(l);
        } else if (v instanceof Double d) {
            return f.numberNode(d);
        } else if (v instanceof Boolean b) {
            return f.booleanNode(b);
        } else if (v instanceof Instant i) {
            return f.textNode(i.toString());
        } else if (v instanceof PlistData d) {
            return f.textNode(d.base64());
        }
        return toJsonValue(PlistDict.normalize(v), sorted);
    }

    /** Reads a JSON object as a plist dictionary. */
    static PlistDict readDict(byte[] json) throws ProtocolException {
        return (PlistDict) toPlistValue(readObject(json));
    }
}
