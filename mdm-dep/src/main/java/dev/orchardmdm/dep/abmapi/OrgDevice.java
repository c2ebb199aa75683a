package dev.orchardmdm.dep.abmapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.SourceDevice;
import dev.orchardmdm.dep.http.Json;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A device of the organisation ({@code orgDevices} resource of the Apple School / Business Manager API).
 *
 * @param id               the resource id (Apple uses the serial number)
 * @param serialNumber     {@code serialNumber}
 * @param deviceModel      {@code deviceModel}, e.g. "iPhone 13"
 * @param productFamily    {@code productFamily}: Mac, iPhone, iPad, AppleTV, Watch, Vision
 * @param productType      {@code productType}, e.g. "iPhone14,5"
 * @param deviceCapacity   {@code deviceCapacity}, e.g. "128GB"
 * @param color            {@code color}
 * @param partNumber       {@code partNumber}
 * @param orderNumber      {@code orderNumber}
 * @param orgStatus        {@code status}: {@code ASSIGNED} (to some MDM server) or {@code UNASSIGNED}
 * @param addedToOrgAt     {@code addedToOrgDateTime}
 * @param updatedAt        {@code updatedDateTime}
 * @param releasedAt       {@code releasedFromOrgDateTime}, null unless released
 * @param imei             {@code imei}
 * @param purchaseSourceType {@code purchaseSourceType}
 * @param assignedServerId the MDM server the device is assigned to, when the listing said so (null when unknown)
 * @param rawJson          the resource as Apple sent it
 */
public record OrgDevice(String id, String serialNumber, String deviceModel, String productFamily, String productType,
                        String deviceCapacity, String color, String partNumber, String orderNumber, String orgStatus,
                        Instant addedToOrgAt, Instant updatedAt, Instant releasedAt, List<String> imei,
                        String purchaseSourceType, String assignedServerId, String rawJson) implements SourceDevice {

    /** The JSON:API type of this resource. */
    public static final String TYPE = "orgDevices";

    public OrgDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(rawJson, "rawJson");
        imei = imei == null ? List.of() : List.copyOf(imei);
    }

    /** Reads one {@code orgDevices} resource object; {@code id} and {@code serialNumber} are required. */
    public static OrgDevice fromJson(JsonNode resource) throws AbmResponseException {
        String what = "ABM API orgDevice";
        JsonNode a = JsonApi.attributes(resource, TYPE, what);
        return new OrgDevice(resource.get("id").asText(), Json.text(a, "serialNumber", what),
                Json.optText(a, "deviceModel", what), Json.optText(a, "productFamily", what),
                Json.optText(a, "productType", what), Json.optText(a, "deviceCapacity", what),
                Json.optText(a, "color", what), Json.optText(a, "partNumber", what),
                Json.optText(a, "orderNumber", what), Json.optText(a, "status", what),
                Json.optInstant(a, "addedToOrgDateTime", what), Json.optInstant(a, "updatedDateTime", what),
                Json.optInstant(a, "releasedFromOrgDateTime", what), Json.optTextList(a, "imei", what),
                Json.optText(a, "purchaseSourceType", what), null, resource.toString());
    }

    /** This device, known to be assigned to the MDM server {@code serverId}. */
    public OrgDevice withAssignedServer(String serverId) {
        return new OrgDevice(id, serialNumber, deviceModel, productFamily, productType, deviceCapacity, color,
                partNumber, orderNumber, orgStatus, addedToOrgAt, updatedAt, releasedAt, imei, purchaseSourceType,
                serverId, rawJson);
    }

    @Override
    public String model() {
        return deviceModel;
    }

    /** Model, capacity and colour in one line, in the style of the ADE API's {@code description}. */
    @Override
    public String description() {
        StringBuilder sb = new StringBuilder();
        for (String part : new String[] {deviceModel, deviceCapacity, color}) {
            if (part != null) {
                sb.append(sb.length() == 0 ? "" : " ").append(part.toUpperCase(Locale.ROOT));
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** The OS family, derived from the product family as the ADE API names it (OSX, iOS, tvOS, ...). */
    @Override
    public String osFamily() {
        if (productFamily == null) {
            return null;
        }
        return switch (productFamily.toLowerCase(Locale.ROOT)) {
            case "mac" -> "OSX";
            case "iphone", "ipad", "ipod" -> "iOS";
            case "appletv", "apple tv", "tv" -> "tvOS";
            case "watch", "applewatch" -> "watchOS";
            case "vision", "applevision" -> "visionOS";
            default -> null;
        };
    }

    /**
     * {@code ASSIGNED} when the device was listed under an MDM server ({@link #assignedServerId()}) or Apple says it
     * is assigned; {@code UNASSIGNED} otherwise or once released from the organisation.
     */
    @Override
    public DeviceStatus status() {
        if (releasedAt != null) {
            return DeviceStatus.UNASSIGNED;
        }
        return assignedServerId != null || "ASSIGNED".equals(orgStatus) ? DeviceStatus.ASSIGNED
                : DeviceStatus.UNASSIGNED;
    }

    @Override
    public Optional<Instant> changedAt() {
        return Optional.ofNullable(updatedAt != null ? updatedAt : addedToOrgAt);
    }
}
