package dev.orchardmdm.store;

import java.time.Instant;

/**
 * The ADE enrollment profile of a DEP enrollment.
 *
 * @param profile     JSON text of the profile as sent to Apple's {@code profile} endpoint
 * @param profileUuid Apple's profile UUID, once defined
 */
public record DepProfile(long enrollmentId, long virtualServerId, String profile, String profileUuid, Instant definedAt,
                         Instant createdAt, Instant updatedAt) {
}
