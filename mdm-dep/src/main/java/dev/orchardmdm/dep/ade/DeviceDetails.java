package dev.orchardmdm.dep.ade;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * The answer of {@code POST devices}: the devices Apple described, and the {@code response_status} of the others.
 *
 * @param devices  serial number to device, for {@code response_status == SUCCESS}
 * @param failures serial number to its {@code response_status} (e.g. {@code NOT_ACCESSIBLE}) for the others
 */
public record DeviceDetails(Map<String, AdeDevice> devices, Map<String, String> failures) {
    public DeviceDetails {
        devices = Map.copyOf(devices);
        failures = Map.copyOf(failures);
    }

    /** Parses the JSON text of a {@code POST devices} answer, without an HTTP exchange. */
    public static DeviceDetails parse(String json) throws AbmResponseException {
        return fromJson(Json.parseObject(json, "ADE devices"));
    }

    static DeviceDetails fromJson(JsonNode node) throws AbmResponseException {
        JsonNode devices = node.get("devices");
        if (devices == null || !devices.isObject()) {
            throw new AbmResponseException("ADE devices: 'devices' missing or not an object", 200);
        }
        Map<String, AdeDevice> found = new HashMap<>();
        Map<String, String> failures = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : devices.properties()) {
            String status = Json.optText(e.getValue(), "response_status", "ADE devices");
            if ("SUCCESS".equals(status)) {
                found.put(e.getKey(), AdeDevice.fromJson(e.getValue()));
            } else {
                failures.put(e.getKey(), status == null ? "UNKNOWN" : status);
            }
        }
        return new DeviceDetails(found, failures);
    }

    /** These details and {@code other}'s (answers of several batches). */
    DeviceDetails merge(DeviceDetails other) {
        Map<String, AdeDevice> d = new HashMap<>(devices);
        d.putAll(other.devices);
        Map<String, String> f = new HashMap<>(failures);
        f.putAll(other.failures);
        return new DeviceDetails(d, f);
    }
}
