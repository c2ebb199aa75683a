package dev.orchardmdm.dep.ade;

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
}
