package dev.orchardmdm.store;

import java.time.Instant;

/**
 * A device (or user channel) to wake with an APNs push: one row of the push outbox.
 *
 * @param leaseOwner the worker that claimed it, null when unclaimed
 */
public record PushRequest(long id, long enrolledDeviceId, Long enrolledUserId, String reason, Instant dueAt,
                          int attempts, String leaseOwner, Instant leaseUntil, String lastError, Instant createdAt) {
}
