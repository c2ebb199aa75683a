package dev.orchardmdm.dep.abmapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * An {@code orgDeviceActivities} resource: an asynchronous assign / unassign request and how far it got.
 *
 * @param id          the activity's id, to poll it
 * @param status      {@code IN_PROGRESS}, {@code COMPLETED}, {@code FAILED}, {@code STOPPED}, ...
 * @param subStatus   {@code SUBMITTED}, {@code COMPLETED_WITH_SUCCESS}, {@code COMPLETED_WITH_FAILURE}, ...; may be null
 * @param createdAt   {@code createdDateTime}; may be null
 * @param completedAt {@code completedDateTime}; null while in progress
 * @param downloadUrl {@code downloadUrl}: Apple's per-device report (CSV), once completed; may be null
 * @param rawJson     the resource as Apple sent it
 */
public record OrgDeviceActivity(String id, String status, String subStatus, Instant createdAt, Instant completedAt,
                                String downloadUrl, String rawJson) {

    /** The JSON:API type of this resource. */
    public static final String TYPE = "orgDeviceActivities";

    /** What an activity does. */
    public enum Type {
        /** Assign the devices to the MDM server. */
        ASSIGN_DEVICES,
        /** Unassign the devices from the MDM server. */
        UNASSIGN_DEVICES
    }

    public OrgDeviceActivity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(rawJson, "rawJson");
    }

    /** Reads one {@code orgDeviceActivities} resource object; {@code status} is required. */
    public static OrgDeviceActivity fromJson(JsonNode resource) throws AbmResponseException {
        String what = "ABM API orgDeviceActivity";
        JsonNode a = JsonApi.attributes(resource, TYPE, what);
        return new OrgDeviceActivity(resource.get("id").asText(), Json.text(a, "status", what),
                Json.optText(a, "subStatus", what), Json.optInstant(a, "createdDateTime", what),
                Json.optInstant(a, "completedDateTime", what), Json.optText(a, "downloadUrl", what),
                resource.toString());
    }

    /** True once Apple has finished with the activity, whatever the outcome. */
    public boolean finished() {
        return !status.equals("IN_PROGRESS") && !status.equals("PENDING") && !status.equals("SUBMITTED");
    }

    /** True when the activity completed for every device. */
    public boolean succeeded() {
        return status.equals("COMPLETED") && (subStatus == null || subStatus.equals("COMPLETED_WITH_SUCCESS"));
    }
}
