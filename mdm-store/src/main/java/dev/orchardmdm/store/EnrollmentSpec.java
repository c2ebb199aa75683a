package dev.orchardmdm.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an admin sets on an enrollment (create or update).
 *
 * @param serialNumbers if not empty, only these serial numbers may use the secret
 * @param udids         if not empty, only these UDIDs may use the secret
 * @param settings      JSON text or null
 */
public record EnrollmentSpec(EnrollmentType type, String name, String displayName, long pushCertificateId,
                             Long blueprintId, Integer secretQuota, Instant secretExpiredAt,
                             List<String> serialNumbers, List<String> udids, boolean returnToService,
                             String macosMinVersion, String iosMinVersion, String settings) {
    public EnrollmentSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        displayName = displayName == null ? name : displayName;
        serialNumbers = serialNumbers == null ? List.of() : List.copyOf(serialNumbers);
        udids = udids == null ? List.of() : List.copyOf(udids);
        settings = Json.checked(settings, "settings");
    }

    /** A minimal spec: type, name, push certificate. */
    public static EnrollmentSpec of(EnrollmentType type, String name, long pushCertificateId) {
        return new EnrollmentSpec(type, name, name, pushCertificateId, null, null, null, List.of(), List.of(),
                false, null, null, null);
    }
}
