package dev.orchardmdm.store;

import java.time.Instant;
import java.util.Set;

/**
 * An admin API token (only its SHA-256 hash is stored).
 *
 * @param permissions Zentral-style permission names, e.g. {@code mdm.view_enrolleddevice}
 */
public record ApiToken(long id, String name, Set<String> permissions, Instant expiresAt, Instant revokedAt,
                       Instant lastUsedAt, Instant createdAt) {
    public ApiToken {
        permissions = Set.copyOf(permissions);
    }

    /** Whether the token carries {@code permission}. */
    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }
}
