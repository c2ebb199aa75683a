package dev.orchardmdm.cli.admin;

import java.util.Set;

/**
 * The permissions an API token can carry: the server's one list,
 * {@link dev.orchardmdm.server.api.Permissions} (Zentral's names, plus {@code audit.view_auditevent}).
 */
public final class Permissions {

    private Permissions() {
    }

    /** Every permission, sorted. */
    public static Set<String> all() {
        return dev.orchardmdm.server.api.Permissions.all();
    }

    /** Whether {@code permission} is one of {@link #all()}. */
    public static boolean isKnown(String permission) {
        return dev.orchardmdm.server.api.Permissions.isKnown(permission);
    }
}
