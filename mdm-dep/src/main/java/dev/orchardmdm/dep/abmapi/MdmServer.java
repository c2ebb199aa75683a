package dev.orchardmdm.dep.abmapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * A device management service of the organisation ({@code mdmServers} resource).
 *
 * @param id          the server's id, used to assign devices to it
 * @param serverName  its name in ABM/ASM
 * @param serverType  {@code MDM}, {@code APPLE_CONFIGURATOR}, ...; may be null
 * @param createdAt   {@code createdDateTime}; may be null
 * @param updatedAt   {@code updatedDateTime}; may be null
 * @param rawJson     the resource as Apple sent it
 */
public record MdmServer(String id, String serverName, String serverType, Instant createdAt, Instant updatedAt,
                        String rawJson) {

    /** The JSON:API type of this resource. */
    public static final String TYPE = "mdmServers";

    public MdmServer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rawJson, "rawJson");
    }

    /** Reads one {@code mdmServers} resource object. */
    public static MdmServer fromJson(JsonNode resource) throws AbmResponseException {
        String what = "ABM API mdmServer";
        JsonNode a = JsonApi.attributes(resource, TYPE, what);
        return new MdmServer(resource.get("id").asText(), Json.optText(a, "serverName", what),
                Json.optText(a, "serverType", what), Json.optInstant(a, "createdDateTime", what),
                Json.optInstant(a, "updatedDateTime", what), resource.toString());
    }
}
