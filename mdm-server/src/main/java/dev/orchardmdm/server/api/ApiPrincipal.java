package dev.orchardmdm.server.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who calls the admin API: the token's id and name, and its permissions (Zentral names,
 * e.g. {@code mdm.view_enrolleddevice}).
 */
public record ApiPrincipal(long tokenId, String name, Set<String> permissions) {
    public ApiPrincipal {
        Objects.requireNonNull(name, "name");
        permissions = Set.copyOf(permissions);
    }

    /** Whether the token carries {@code permission}. */
    public boolean has(String permission) {
        return permissions.contains(permission);
    }
}
