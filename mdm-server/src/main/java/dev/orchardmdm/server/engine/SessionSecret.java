package dev.orchardmdm.server.engine;

import java.util.Locale;
import java.util.Optional;

/**
 * The enrollment-session secret carried in a device certificate's common name, Zentral's
 * {@code MDM$<TYPE>$<secret>} (TYPE: {@code OTA}, {@code DEP}, {@code USER}, {@code RE}), or the
 * {@code OTA$<secret>} of the OTA phase-2 SCEP identity.
 *
 * @param prefix {@code MDM} or {@code OTA}
 * @param type   the session type ({@code OTA}, {@code DEP}, {@code USER}, {@code RE}); for an
 *               {@code OTA$} name, {@code OTA}
 * @param secret the session secret
 */
public record SessionSecret(String prefix, String type, String secret) {
    private static final java.util.Set<String> TYPES = java.util.Set.of("OTA", "DEP", "USER", "RE");

    /** Parses a common name; empty when it is not one of Orchard's forms. */
    public static Optional<SessionSecret> parse(String commonName) {
        if (commonName == null || commonName.length() > 128) {
            return Optional.empty();
        }
        String[] parts = commonName.split("\\$", -1);
        if (parts.length == 3 && "MDM".equals(parts[0]) && TYPES.contains(parts[1]) && valid(parts[2])) {
            return Optional.of(new SessionSecret("MDM", parts[1], parts[2]));
        }
        if (parts.length == 2 && "OTA".equals(parts[0]) && valid(parts[1])) {
            return Optional.of(new SessionSecret("OTA", "OTA", parts[1]));
        }
        return Optional.empty();
    }

    /** The MDM identity common name for a session of {@code type}: {@code MDM$<TYPE>$<secret>}. */
    public static String mdmCommonName(String type, String secret) {
        return "MDM$" + type.toUpperCase(Locale.ROOT) + "$" + secret;
    }

    private static boolean valid(String secret) {
        if (secret.length() < 16 || secret.length() > 64) {
            return false;
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && c != '-' && c != '_') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return prefix + "$" + type + "$<secret>";
    }
}
