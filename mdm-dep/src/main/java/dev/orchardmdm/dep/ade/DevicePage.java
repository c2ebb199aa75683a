package dev.orchardmdm.dep.ade;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of {@code server/devices} or {@code devices/sync}.
 *
 * @param devices      the devices of this page
 * @param cursor       the cursor for the next page (and, on the last page, for the next delta sync)
 * @param moreToFollow {@code more_to_follow}
 * @param fetchedUntil {@code fetched_until}, when sent
 */
public record DevicePage(List<AdeDevice> devices, String cursor, boolean moreToFollow, Instant fetchedUntil) {
    public DevicePage {
        devices = List.copyOf(devices);
    }

    /** Parses the JSON text of a {@code server/devices} or {@code devices/sync} answer, without an HTTP exchange. */
    public static DevicePage parse(String json) throws AbmResponseException {
        return fromJson(Json.parseObject(json, "ADE devices page"), "ADE devices page");
    }

    static DevicePage fromJson(JsonNode node, String what) throws AbmResponseException {
        JsonNode devices = node.get("devices");
        List<AdeDevice> list = new ArrayList<>();
        if (devices != null && !devices.isNull()) {
            if (!devices.isArray()) {
                throw new AbmResponseException(what + ": 'devices' is not an array", 200);
            }
            for (JsonNode d : devices) {
                list.add(AdeDevice.fromJson(d));
            }
        }
        JsonNode more = node.get("more_to_follow");
        if (more == null || !more.isBoolean()) {
            throw new AbmResponseException(what + ": 'more_to_follow' missing or not a boolean", 200);
        }
        return new DevicePage(list, Json.optText(node, "cursor", what), more.booleanValue(),
                Json.optInstant(node, "fetched_until", what));
    }
}
