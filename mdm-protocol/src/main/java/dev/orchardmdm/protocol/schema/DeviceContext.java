package dev.orchardmdm.protocol.schema;

import dev.orchardmdm.protocol.PlistDict;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about a device, to check the schema's per-OS requirements of a command, a check-in message or a
 * command response.
 *
 * @param os             iOS, macOS, tvOS, visionOS or watchOS (iPadOS is {@code iOS}, as in Apple's schema)
 * @param supervised     the device is supervised
 * @param userEnrollment the enrollment is a user enrollment (BYOD)
 * @param userChannel    the command goes to the user channel
 * @param osVersion      the OS version (e.g. {@code 17.4}), when known: keys introduced later or removed earlier do
 *                       not apply
 */
public record DeviceContext(String os, boolean supervised, boolean userEnrollment, boolean userChannel,
                            Optional<String> osVersion) {

    /** The OS names of Apple's schema. */
    public static final List<String> OSES = List.of("iOS", "macOS", "tvOS", "visionOS", "watchOS");

    public DeviceContext {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(osVersion, "osVersion");
    }

    /** A context without a known OS version. */
    public DeviceContext(String os, boolean supervised, boolean userEnrollment, boolean userChannel) {
        this(os, supervised, userEnrollment, userChannel, Optional.empty());
    }

    /** This context with a known OS version. */
    public DeviceContext withOsVersion(String version) {
        return new DeviceContext(os, supervised, userEnrollment, userChannel, Optional.ofNullable(version));
    }

    /**
     * The schema OS of a product or model identifier ({@code iPhone15,2}, {@code iPad8,3}, {@code MacBookPro18,3},
     * {@code VirtualMac2,1}, {@code AppleTV11,1}, {@code Watch6,1}, {@code RealityDevice14,1}); also accepts the
     * platform names iPadOS (gives iOS) and the schema's own names.
     */
    public static Optional<String> osOfProduct(String product) {
        if (product == null || product.isBlank()) {
            return Optional.empty();
        }
        String p = product.strip();
        if (OSES.contains(p)) {
            return Optional.of(p);
        }
        if (p.equals("iPadOS") || p.startsWith("iPhone") || p.startsWith("iPad") || p.startsWith("iPod")) {
            return Optional.of("iOS");
        }
        if (p.startsWith("AppleTV") || p.startsWith("Apple TV")) {
            return Optional.of("tvOS");
        }
        if (p.startsWith("Watch")) {
            return Optional.of("watchOS");
        }
        if (p.startsWith("RealityDevice")) {
            return Optional.of("visionOS");
        }
        if (p.startsWith("Mac") || p.startsWith("iMac") || p.startsWith("VirtualMac") || p.startsWith("Xserve")) {
            return Optional.of("macOS");
        }
        return Optional.empty();
    }

    /**
     * What a check-in message or MachineInfo says about its device: the OS from {@code ProductName}, {@code Model}
     * or {@code PRODUCT}; the OS version from {@code OSVersion} or {@code OS_VERSION}; a user enrollment when it
     * carries an {@code EnrollmentID} and no {@code UDID}; the user channel when it names a user. Supervision is not
     * in these messages (false). Empty when the product is missing or unknown.
     */
    public static Optional<DeviceContext> fromMessage(PlistDict message) {
        Optional<String> os = Optional.empty();
        for (String key : List.of("ProductName", "Model", "PRODUCT")) {
            if (os.isEmpty() && message.get(key) instanceof String s) {
                os = osOfProduct(s);
            }
        }
        if (os.isEmpty()) {
            return Optional.empty();
        }
        Object version = message.has("OSVersion") ? message.get("OSVersion") : message.get("OS_VERSION");
        boolean userEnrollment = message.has("EnrollmentID") && !message.has("UDID");
        boolean userChannel = message.has("UserID") || message.has("EnrollmentUserID");
        return Optional.of(new DeviceContext(os.get(), false, userEnrollment, userChannel,
                version instanceof String v && !v.isBlank() ? Optional.of(v) : Optional.empty()));
    }

    /**
     * Compares dotted versions numerically ({@code 9.3.2 < 10.0}); a non-numeric part compares as 0.
     *
     * @return negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}
     */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Long.compare(part(x, i), part(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static long part(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        String digits = parts[i].replaceAll("[^0-9].*$", "");
        if (digits.isEmpty() || digits.length() > 9) {
            return 0;
        }
        return Long.parseLong(digits);
    }
}
