package dev.orchardmdm.protocol.profile;

import dev.orchardmdm.protocol.PlistDict;
import java.util.List;

/**
 * The OTA enrollment "Profile Service" document (phase 1): the device posts the requested attributes, signed, to
 * {@code url}. Apple's schema has no YAML for it; its shape is the one of Apple's Over-the-Air Profile Delivery
 * guide: {@code PayloadType: Profile Service}, {@code PayloadContent: {URL, DeviceAttributes, Challenge}}.
 *
 * @param deviceAttributes e.g. UDID, VERSION, PRODUCT, SERIAL, IMEI, MEID, DEVICE_NAME
 */
public record ProfileService(String payloadIdentifier, String payloadUuid, String displayName, String url,
                             List<String> deviceAttributes, String challenge, String organization) {
    /** The attributes an MDM server usually asks for. */
    public static final List<String> DEFAULT_ATTRIBUTES = List.of("UDID", "VERSION", "PRODUCT", "SERIAL", "IMEI",
            "MEID", "DEVICE_NAME", "COMPROMISED");

    public ProfileService {
        if (url == null || !url.startsWith("https://")) {
            throw new IllegalArgumentException("Profile Service URL must be https");
        }
        if (deviceAttributes.isEmpty()) {
            throw new IllegalArgumentException("DeviceAttributes must not be empty");
        }
        deviceAttributes = List.copyOf(deviceAttributes);
    }

    /** A Profile Service document with the default attributes and a new UUID. */
    public static ProfileService of(String payloadIdentifier, String displayName, String url, String challenge,
                                    String organization) {
        return new ProfileService(payloadIdentifier, Payload.newUuid(), displayName, url, DEFAULT_ATTRIBUTES,
                challenge, organization);
    }

    public PlistDict toDict() {
        return PlistDict.builder().put("PayloadType", "Profile Service").put("PayloadVersion", 1)
                .put("PayloadIdentifier", payloadIdentifier).put("PayloadUUID", payloadUuid)
                .put("PayloadDisplayName", displayName).put("PayloadOrganization", organization)
                .put("PayloadContent", PlistDict.of("URL", url, "DeviceAttributes", deviceAttributes,
                        "Challenge", challenge)).build();
    }

    /** The unsigned XML plist. */
    public byte[] toPlist() {
        return toDict().toXml();
    }

    @Override
    public String toString() {
        return "ProfileService[" + payloadIdentifier + ", url=" + url + "]";
    }
}
