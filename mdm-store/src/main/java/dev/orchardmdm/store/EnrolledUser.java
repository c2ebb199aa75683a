package dev.orchardmdm.store;

import java.time.Instant;

/**
 * A user channel of an enrolled device (macOS user, Shared iPad user).
 *
 * @param enrollmentId the normalised enrollment id of the user channel: the key of its command queue
 */
public record EnrolledUser(long id, long enrolledDeviceId, String userId, String enrollmentId, String longName,
                           String shortName, byte[] pushToken, String pushMagic, boolean pushTokenDead,
                           boolean declarativeManagement, Instant lastSeenAt, Instant lastNotifiedAt,
                           Instant createdAt, Instant updatedAt) {
}
