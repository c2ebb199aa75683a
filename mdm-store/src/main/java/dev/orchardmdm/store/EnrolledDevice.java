package dev.orchardmdm.store;

import java.time.Instant;

/**
 * An enrolled device: every field of Zentral's device JSON, plus the push and identity fields the
 * server needs. Escrowed secrets are not in this record; read them with
 * {@link DeviceRepository#secret(long, DeviceSecret)}.
 *
 * @param enrollmentId the normalised enrollment id of the device channel (the UDID, or the
 *                     EnrollmentID of a user enrollment): the key of its command queue
 * @param pushTokenDead APNs said the push token is no longer valid (410 / BadDeviceToken)
 */
public record EnrolledDevice(long id, String udid, String enrollmentId, String serialNumber, String name, String model,
                             String platform, String osVersion, String osVersionExtra, String buildVersion,
                             String buildVersionExtra, boolean appleSilicon, Long pushCertificateId, byte[] pushToken,
                             String pushMagic, String pushTopic, boolean pushTokenDead, String certFingerprint,
                             Instant certNotValidAfter, Long blueprintId, boolean awaitingConfiguration,
                             boolean declarativeManagement, String declarationsToken, boolean depEnrollment,
                             boolean userEnrollment, boolean userApprovedEnrollment, boolean supervised,
                             boolean bootstrapTokenEscrowed, boolean filevaultEnabled, boolean filevaultPrkEscrowed,
                             boolean activationLockManageable, String filevaultConfigUuid, String adminGuid,
                             String lastIp, Instant lastSeenAt, Instant lastNotifiedAt, Instant checkoutAt,
                             Instant blockedAt, Instant createdAt, Instant updatedAt) {

    /** Whether the device can be woken by a push: enrolled, not checked out, with a live token. */
    public boolean canBePushed() {
        return checkoutAt == null && pushToken != null && pushMagic != null && pushTopic != null && !pushTokenDead;
    }
}
