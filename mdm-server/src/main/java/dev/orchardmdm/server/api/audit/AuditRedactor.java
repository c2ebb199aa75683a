package dev.orchardmdm.server.api.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Removes secrets from audit details: any value under a key that names a secret (password, pin,
 * private key, token, secret, PRK, ...) becomes {@value #REDACTED}, at any depth.
 */
public final class AuditRedactor {

    /** What a redacted value reads as. */
    public static final String REDACTED = "<redacted>";

    private static final Set<String> SECRET_WORDS = Set.of(
            "password", "pin", "private_key", "key_password", "secret", "token", "prk", "passcode",
            "unlock_token", "bootstrap_token", "server_token", "recovery_key", "p12", "pkcs12");

    private AuditRedactor() {
    }

    /** Whether a key names a secret. */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (k.equals(word) || k.endsWith("_" + word)) {
                return true;
            }
        }
        return false;
    }

    /** A redacted, unmodifiable deep copy (null values kept). */
    public static Map<String, Object> redact(Map<String, ?> details) {
        Map<String, Object> out = new LinkedHashMap<>();
        details.forEach((k, v) -> out.put(k, isSecretKey(k) && v != null ? REDACTED : redactValue(v)));
        return Collections.unmodifiableMap(out);
    }

    private static Object redactValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> nested = new LinkedHashMap<>();
            m.forEach((k, x) -> nested.put(String.valueOf(k), x));
            return redact(nested);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(x -> copy.add(redactValue(x)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }
}
