package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.util.List;

/**
 * The service's limits and URLs ({@code GET service/config}).
 *
 * @param maxSerialNumbers      {@code limits.maxSerialNumbers}: serial numbers per associate/disassociate call
 * @param maxAssets             {@code limits.maxAssets}: assets per call (0 when not advertised)
 * @param contentMetadataLookup {@code urls.contentMetadataLookup}: the App Store metadata endpoint
 * @param notificationTypes     {@code notificationTypes}: the types one can subscribe to
 */
public record ServiceConfig(int maxSerialNumbers, int maxAssets, String contentMetadataLookup,
                            List<String> notificationTypes) {

    public ServiceConfig {
        notificationTypes = List.copyOf(notificationTypes);
    }

    static ServiceConfig fromJson(JsonNode node) throws AbmResponseException {
        String what = "Apps and Books service/config";
        JsonNode limits = node.get("limits");
        if (limits == null || !limits.isObject()) {
            throw new AbmResponseException(what + ": 'limits' missing", 200);
        }
        long maxSerials = Json.optLong(limits, "maxSerialNumbers", -1, what);
        if (maxSerials < 1 || maxSerials > 100_000) {
            throw new AbmResponseException(what + ": limits.maxSerialNumbers missing or out of range", 200);
        }
        long maxAssets = Json.optLong(limits, "maxAssets", 0, what);
        if (maxAssets < 0 || maxAssets > 100_000) {
            throw new AbmResponseException(what + ": limits.maxAssets out of range", 200);
        }
        return new ServiceConfig((int) maxSerials, (int) maxAssets,
                Json.optText(node.path("urls"), "contentMetadataLookup", what),
                Json.optTextList(node, "notificationTypes", what));
    }
}
