package dev.orchardmdm.dep.ade;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The organisation and MDM server an ADE server token belongs to ({@code GET account}).
 *
 * @param serverName  {@code server_name}: the MDM server's name in ABM
 * @param serverUuid  {@code server_uuid}: stable id of the MDM server
 * @param adminId     {@code admin_id}
 * @param facilitatorId {@code facilitator_id}
 * @param orgName     {@code org_name}
 * @param orgEmail    {@code org_email}
 * @param orgPhone    {@code org_phone}
 * @param orgAddress  {@code org_address}
 * @param orgId       {@code org_id}
 * @param orgIdHash   {@code org_id_hash}
 * @param orgType     {@code org_type}: edu or org
 * @param orgVersion  {@code org_version}: v1 (ADP) or v2 (AxM)
 * @param urls        {@code urls}: per-endpoint limits
 */
public record AdeAccount(String serverName, String serverUuid, String adminId, String facilitatorId, String orgName,
                         String orgEmail, String orgPhone, String orgAddress, String orgId, String orgIdHash,
                         String orgType, String orgVersion, List<EndpointLimit> urls) {

    /**
     * The limits Apple advertises for one endpoint.
     *
     * @param uri          e.g. {@code "/server/devices"}
     * @param httpMethods  the methods
     * @param defaultLimit {@code limit.default}
     * @param maximumLimit {@code limit.maximum}
     */
    public record EndpointLimit(String uri, List<String> httpMethods, long defaultLimit, long maximumLimit) {
    }

    public AdeAccount {
        urls = List.copyOf(urls);
    }

    /** The advertised maximum for an endpoint (e.g. {@code "/devices"}), if any. */
    public Optional<Long> maximumLimit(String uri) {
        return urls.stream().filter(u -> u.uri().equals(uri) && u.maximumLimit() > 0).map(EndpointLimit::maximumLimit)
                .findFirst();
    }

    /** Parses the JSON text of a {@code GET account} answer (e.g. a saved one), without an HTTP exchange. */
    public static AdeAccount parse(String json) throws AbmResponseException {
        return fromJson(Json.parseObject(json, "ADE account"));
    }

    static AdeAccount fromJson(JsonNode node) throws AbmResponseException {
        String what = "ADE account";
        List<EndpointLimit> limits = new ArrayList<>();
        JsonNode urls = node.get("urls");
        if (urls != null && urls.isArray()) {
            for (JsonNode u : urls) {
                JsonNode limit = u.path("limit");
                limits.add(new EndpointLimit(Json.text(u, "uri", what), Json.optTextList(u, "http_method", what),
                        Json.optLong(limit, "default", 0, what), Json.optLong(limit, "maximum", 0, what)));
            }
        }
        return new AdeAccount(Json.text(node, "server_name", what), Json.text(node, "server_uuid", what),
                Json.optText(node, "admin_id", what), Json.optText(node, "facilitator_id", what),
                Json.text(node, "org_name", what), Json.optText(node, "org_email", what),
                Json.optText(node, "org_phone", what), Json.optText(node, "org_address", what),
                Json.optText(node, "org_id", what), Json.optText(node, "org_id_hash", what),
                Json.optText(node, "org_type", what), Json.optText(node, "org_version", what), limits);
    }
}
