package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Secrets in raw command results: an ActivationLockBypassCode, a FileVault personal recovery key,
 * ... A result that holds one is served only to callers allowed to see secrets; others get a copy
 * with the secret values replaced by {@value #REDACTED}.
 */
public final class ResultSecrets {
    /** Result keys whose values are secrets, at any depth of the result plist. */
    public static final Set<String> SECRET_KEYS = Set.of("ActivationLockBypassCode", "FDE_PersonalRecoveryKeyCMS",
            "FDE_PersonalRecoveryKeyDevice", "RecoveryKey", "BootstrapToken", "UnlockToken");
    /** What a secret value is replaced with. */
    public static final String REDACTED = "********";

    private ResultSecrets() {
    }

    /**
     * The result with its secret values redacted, or empty when it holds no secret. A result that
     * cannot be parsed is treated as secret and fully withheld (an empty dictionary).
     */
    public static Optional<byte[]> redacted(byte[] resultPlist) {
        if (resultPlist == null) {
            return Optional.empty();
        }
        PlistDict dict;
        try {
            dict = PlistReader.withDefaults().readDictionary(resultPlist);
        } catch (ProtocolException | RuntimeException e) {
            return Optional.of(PlistDict.of().toXml());
        }
        boolean[] found = {false};
        PlistDict clean = (PlistDict) redact(dict, found);
        return found[0] ? Optional.of(clean.toXml()) : Optional.empty();
    }

    private static Object redact(Object value, boolean[] found) {
        if (value instanceof PlistDict d) {
            PlistDict.Builder b = PlistDict.builder();
            for (String key : d.keys()) {
                if (SECRET_KEYS.contains(key)) {
                    found[0] = true;
                    b.put(key, REDACTED);
                } else {
                    b.put(key, redact(d.get(key), found));
                }
            }
            return b.build();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(redact(o, found));
            }
            return out;
        }
        return value;
    }
}
