package dev.orchardmdm.server.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts plist values to JSON text for storage (DeviceInformation, SecurityInfo, error chains):
 * data becomes base64, dates ISO-8601; keys listed as secret are left out.
 */
final class PlistJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PlistJson() {
    }

    static String toJson(Object plistValue, Set<String> omittedKeys) {
        try {
            return MAPPER.writeValueAsString(convert(plistValue, omittedKeys));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plist values always serialise", e);
        }
    }

    private static Object convert(Object v, Set<String> omitted) {
        if (v instanceof PlistDict d) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : d.asMap().entrySet()) {
                if (!omitted.contains(e.getKey())) {
                    out.put(e.getKey(), convert(e.getValue(), omitted));
                }
            }
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(convert(o, omitted));
            }
            return out;
        }
        if (v instanceof PlistData data) {
            return data.base64();
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        return v;
    }
}
