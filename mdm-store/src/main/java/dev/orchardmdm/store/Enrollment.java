package dev.orchardmdm.store;

import java.time.Instant;
import java.util.List;

/**
 * An enrollment: how devices join, which push certificate and blueprint they get, and the
 * enrollment secret (with optional quota, expiry and serial-number/UDID restrictions).
 *
 * @param settings free-form JSON of type-specific settings (ADE profile options, realm, ...), or null
 */
public record Enrollment(long id, EnrollmentType type, String name, String displayName, long pushCertificateId,
                         Long blueprintId, String secret, Integer secretQuota, int secretRequestCount,
                         Instant secretExpiredAt, List<String> serialNumbers, List<String> udids,
                         boolean returnToService, String macosMinVersion, String iosMinVersion, String settings,
                         Instant createdAt, Instant updatedAt) {
}
