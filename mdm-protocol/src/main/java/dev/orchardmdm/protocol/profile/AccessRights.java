package dev.orchardmdm.protocol.profile;

import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code AccessRights} bit field of the MDM payload. Apple's rules: not zero; {@code 2} (install/remove
 * profiles) needs {@code 1} (inspect profiles); {@code 128} (install/remove provisioning profiles) needs {@code 64}
 * (inspect provisioning profiles); only the 13 defined bits.
 */
public record AccessRights(int value) {
    /** All 13 rights (8191), what an MDM server normally asks for. */
    public static final AccessRights ALL = new AccessRights(8191);

    /** One access right and its bit. */
    public enum Right {
        INSPECT_PROFILES(1), INSTALL_REMOVE_PROFILES(2), DEVICE_LOCK_AND_PASSCODE_REMOVAL(4), DEVICE_ERASE(8),
        QUERY_DEVICE_INFORMATION(16), QUERY_NETWORK_INFORMATION(32), INSPECT_PROVISIONING_PROFILES(64),
        INSTALL_REMOVE_PROVISIONING_PROFILES(128), INSPECT_APPLICATIONS(256), RESTRICTION_QUERIES(512),
        SECURITY_QUERIES(1024), MANAGE_SETTINGS(2048), MANAGE_APPS(4096);

        private final int bit;

        Right(int bit) {
            this.bit = bit;
        }

        public int bit() {
            return bit;
        }
    }

    /** @throws IllegalArgumentException when the value breaks Apple's rules */
    public AccessRights {
        if (value <= 0 || value > 8191) {
            throw new IllegalArgumentException("AccessRights must be 1..8191, was " + value);
        }
        if ((value & 2) != 0 && (value & 1) == 0) {
            throw new IllegalArgumentException("AccessRights: 2 (install/remove profiles) requires 1 (inspect)");
        }
        if ((value & 128) != 0 && (value & 64) == 0) {
            throw new IllegalArgumentException(
                    "AccessRights: 128 (install/remove provisioning profiles) requires 64 (inspect)");
        }
    }

    /** The rights as a set, e.g. {@code AccessRights.of(EnumSet.of(INSPECT_PROFILES, DEVICE_LOCK...))}. */
    public static AccessRights of(Set<Right> rights) {
        int v = 0;
        for (Right r : rights) {
            v |= r.bit;
        }
        return new AccessRights(v);
    }

    /** The rights this value grants. */
    public Set<Right> rights() {
        EnumSet<Right> out = EnumSet.noneOf(Right.class);
        for (Right r : Right.values()) {
            if ((value & r.bit) != 0) {
                out.add(r);
            }
        }
        return out;
    }

    public boolean has(Right r) {
        return (value & r.bit) != 0;
    }
}
