package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A location's client configuration ({@code GET/POST client/config}).
 *
 * @param uId                        {@code uId}: the location's id at Apple
 * @param locationName               {@code locationName}
 * @param countryIso2ACode           {@code countryISO2ACode}
 * @param defaultPlatform            {@code defaultPlatform}
 * @param websiteUrl                 {@code websiteURL}
 * @param tokenExpirationDate        {@code tokenExpirationDate}
 * @param mdmInfo                    {@code mdmInfo}, null when no MDM claimed the token yet
 * @param notificationUrl            {@code notificationUrl}
 * @param notificationAuthToken      {@code notificationAuthToken} (a secret: not printed by {@link #toString()})
 * @param subscribedNotificationTypes {@code subscribedNotificationTypes}
 */
public record ClientConfig(String uId, String locationName, String countryIso2ACode, String defaultPlatform,
                           String websiteUrl, Instant tokenExpirationDate, MdmInfo mdmInfo, String notificationUrl,
                           String notificationAuthToken, List<String> subscribedNotificationTypes) {

    public ClientConfig {
        subscribedNotificationTypes = List.copyOf(subscribedNotificationTypes);
    }

    /** True when {@code mdmInfo} names another MDM than {@code mdmInfoId}: the token is in use elsewhere. */
    public boolean managedByAnother(String mdmInfoId) {
        return mdmInfo != null && !mdmInfo.id().equals(mdmInfoId);
    }

    /** The MDM that claimed the token, if any. */
    public Optional<MdmInfo> mdm() {
        return Optional.ofNullable(mdmInfo);
    }

    /** Parses the JSON text of a {@code client/config} answer (e.g. a saved one), without an HTTP exchange. */
    public static ClientConfig parse(String json) throws AbmResponseException {
        return fromJson(Json.parseObject(json, "Apps and Books client/config"));
    }

    static ClientConfig fromJson(JsonNode node) throws AbmResponseException {
        String what = "Apps and Books client/config";
        MdmInfo info = null;
        JsonNode mdm = node.get("mdmInfo");
        if (mdm != null && !mdm.isNull()) {
            if (!mdm.isObject()) {
                throw new AbmResponseException(what + ": mdmInfo is not an object", 200);
            }
            info = new MdmInfo(Json.text(mdm, "id", what), Json.optText(mdm, "metadata", what),
                    Json.optText(mdm, "name", what));
        }
        return new ClientConfig(Json.text(node, "uId", what), Json.optText(node, "locationName", what),
                Json.optText(node, "countryISO2ACode", what), Json.optText(node, "defaultPlatform", what),
                Json.optText(node, "websiteURL", what), Json.optInstant(node, "tokenExpirationDate", what), info,
                Json.optText(node, "notificationUrl", what), Json.optText(node, "notificationAuthToken", what),
                Json.optTextList(node, "subscribedNotificationTypes", what));
    }

    @Override
    public String toString() {
        return "ClientConfig[uId=" + uId + ", locationName=" + locationName + ", countryIso2ACode=" + countryIso2ACode
                + ", tokenExpirationDate=" + tokenExpirationDate + ", mdmInfo=" + mdmInfo + ", notificationUrl="
                + notificationUrl + ", notificationAuthToken=" + (notificationAuthToken == null ? null : "<redacted>")
                + ", subscribedNotificationTypes=" + subscribedNotificationTypes + "]";
    }
}
