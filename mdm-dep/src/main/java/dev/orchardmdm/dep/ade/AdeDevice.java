package dev.orchardmdm.dep.ade;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.SourceDevice;
import dev.orchardmdm.dep.http.Json;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A device record of the ADE API ({@code server/devices}, {@code devices/sync}, {@code devices}).
 *
 * @param serialNumber       {@code serial_number}
 * @param model              {@code model}, e.g. "MacBook Pro"
 * @param description        {@code description}
 * @param color              {@code color}
 * @param assetTag           {@code asset_tag}
 * @param os                 {@code os}: OSX, iOS, tvOS, ...
 * @param deviceFamily       {@code device_family}: Mac, iPhone, iPad, AppleTV, ...
 * @param profileStatus      {@code profile_status}: empty, assigned, pushed, removed
 * @param profileUuid        {@code profile_uuid}, null when none
 * @param profileAssignTime  {@code profile_assign_time}
 * @param profilePushTime    {@code profile_push_time}
 * @param deviceAssignedDate {@code device_assigned_date}
 * @param deviceAssignedBy   {@code device_assigned_by}
 * @param opType             {@code op_type} of a sync record (null in a full fetch)
 * @param opDate             {@code op_date} of a sync record
 * @param rawJson            the record as Apple sent it
 */
public record AdeDevice(String serialNumber, String model, String description, String color, String assetTag,
                        String os, String deviceFamily, ProfileStatus profileStatus, String profileUuid,
                        Instant profileAssignTime, Instant profilePushTime, Instant deviceAssignedDate,
                        String deviceAssignedBy, OpType opType, Instant opDate, String rawJson)
        implements SourceDevice {

    /** ADE's {@code profile_status}. */
    public enum ProfileStatus {
        EMPTY, ASSIGNED, PUSHED, REMOVED, UNKNOWN;

        static ProfileStatus of(String value) {
            if (value == null) {
                return EMPTY;
            }
            return switch (value) {
                case "empty" -> EMPTY;
                case "assigned" -> ASSIGNED;
                case "pushed" -> PUSHED;
                case "removed" -> REMOVED;
                default -> UNKNOWN;
            };
        }
    }

    /** ADE's {@code op_type} in a delta sync. */
    public enum OpType {
        ADDED, MODIFIED, DELETED;

        static OpType of(String value, String what) throws AbmResponseException {
            if (value == null) {
                return null;
            }
            return switch (value) {
                case "added" -> ADDED;
                case "modified" -> MODIFIED;
                case "deleted" -> DELETED;
                default -> throw new AbmResponseException(what + ": unknown op_type", 200);
            };
        }
    }

    public AdeDevice {
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(profileStatus, "profileStatus");
        Objects.requireNonNull(rawJson, "rawJson");
    }

    /** Reads one device object; a missing serial number or a wrongly typed field is a typed error. */
    public static AdeDevice fromJson(JsonNode node) throws AbmResponseException {
        String what = "ADE device";
        if (node == null || !node.isObject()) {
            throw new AbmResponseException(what + " is not a JSON object", 200);
        }
        return new AdeDevice(
                Json.text(node, "serial_number", what),
                Json.optText(node, "model", what),
                Json.optText(node, "description", what),
                Json.optText(node, "color", what),
                Json.optText(node, "asset_tag", what),
                Json.optText(node, "os", what),
                Json.optText(node, "device_family", what),
                ProfileStatus.of(Json.optText(node, "profile_status", what)),
                Json.optText(node, "profile_uuid", what),
                Json.optInstant(node, "profile_assign_time", what),
                Json.optInstant(node, "profile_push_time", what),
                Json.optInstant(node, "device_assigned_date", what),
                Json.optText(node, "device_assigned_by", what),
                OpType.of(Json.optText(node, "op_type", what), what),
                Json.optInstant(node, "op_date", what),
                node.toString());
    }

    @Override
    public String productFamily() {
        return deviceFamily;
    }

    @Override
    public String osFamily() {
        return os;
    }

    @Override
    public DeviceStatus status() {
        return opType == OpType.DELETED ? DeviceStatus.UNASSIGNED : DeviceStatus.ASSIGNED;
    }

    @Override
    public Optional<Instant> changedAt() {
        return Optional.ofNullable(opDate != null ? opDate : deviceAssignedDate);
    }
}
