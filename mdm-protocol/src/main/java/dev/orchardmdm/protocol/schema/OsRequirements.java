package dev.orchardmdm.protocol.schema;

import java.util.Map;
import java.util.Optional;

/**
 * What a command, profile payload or key requires on one OS ({@code supportedOS.<os>} of Apple's schema), already
 * merged with what it inherits from its parent.
 *
 * @param os                 iOS, macOS, tvOS, visionOS or watchOS
 * @param introduced         OS version, or {@code n/a} when not available on this OS
 * @param supervised         true when only supervised devices accept it
 * @param requiresDep        true when only ADE-enrolled devices accept it
 * @param userApprovedMdm    true when a user-approved enrollment is needed
 * @param deviceChannel      whether the device channel accepts it
 * @param userChannel        whether the user channel accepts it
 * @param userEnrollmentMode allowed, required, forbidden or ignored with a user enrollment
 * @param sharedIpadMode     allowed, required, forbidden or ignored on Shared iPad
 * @param accessRights       the MDM access right needed (e.g. AllowDeviceErase)
 */
public record OsRequirements(String os, Optional<String> introduced, Optional<String> deprecated,
                             Optional<String> removed, Optional<Boolean> supervised, Optional<Boolean> requiresDep,
                             Optional<Boolean> userApprovedMdm, Optional<Boolean> deviceChannel,
                             Optional<Boolean> userChannel, Optional<Boolean> allowManualInstall,
                             Optional<Boolean> multiple, Optional<String> userEnrollmentMode,
                             Optional<String> sharedIpadMode, Optional<String> accessRights) {

    /** True unless {@code introduced} is {@code n/a}. */
    public boolean isAvailable() {
        return introduced.map(v -> !"n/a".equals(v)).orElse(true);
    }

    /** True when a user enrollment may not use it. */
    public boolean forbiddenForUserEnrollment() {
        return userEnrollmentMode.filter("forbidden"::equals).isPresent();
    }

    /** Requires supervision. */
    public boolean requiresSupervision() {
        return supervised.orElse(false);
    }

    static OsRequirements empty(String os) {
        return new OsRequirements(os, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** This requirement with the values present in a YAML {@code supportedOS.<os>} map overriding it. */
    OsRequirements overriddenBy(Map<?, ?> m) {
        Map<?, ?> ue = m.get("userenrollment") instanceof Map<?, ?> u ? u : Map.of();
        Map<?, ?> si = m.get("sharedipad") instanceof Map<?, ?> s ? s : Map.of();
        return new OsRequirements(os, str(m, "introduced", introduced), str(m, "deprecated", deprecated),
                str(m, "removed", removed), bool(m, "supervised", supervised), bool(m, "requiresdep", requiresDep),
                bool(m, "userapprovedmdm", userApprovedMdm), bool(m, "devicechannel", deviceChannel),
                bool(m, "userchannel", userChannel), bool(m, "allowmanualinstall", allowManualInstall),
                bool(m, "multiple", multiple), str(ue, "mode", userEnrollmentMode), str(si, "mode", sharedIpadMode),
                str(m, "accessrights", accessRights));
    }

    private static Optional<String> str(Map<?, ?> m, String key, Optional<String> fallback) {
        Object v = m.get(key);
        return v == null ? fallback : Optional.of(v.toString());
    }

    private static Optional<Boolean> bool(Map<?, ?> m, String key, Optional<Boolean> fallback) {
        Object v = m.get(key);
        return v instanceof Boolean b ? Optional.of(b) : fallback;
    }
}
