package dev.orchardmdm.protocol.profile;

import dev.orchardmdm.protocol.PlistDict;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/** One payload of a configuration profile: the common keys plus its type-specific keys. */
public interface Payload {

    /** PayloadType, e.g. {@code com.apple.mdm}. */
    String payloadType();

    /** The common keys (PayloadIdentifier, PayloadUUID, PayloadDisplayName). */
    Common common();

    /** PayloadIdentifier. */
    default String payloadIdentifier() {
        return common().identifier();
    }

    /** PayloadUUID. */
    default String payloadUuid() {
        return common().uuid();
    }

    /** The payload dictionary, common keys included. */
    PlistDict toDict();

    /** A new random upper-case UUID for PayloadUUID. */
    static String newUuid() {
        return UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    }

    /**
     * The common payload keys.
     *
     * @param identifier  PayloadIdentifier (reverse DNS)
     * @param uuid        PayloadUUID
     * @param displayName PayloadDisplayName, may be null
     */
    record Common(String identifier, String uuid, String displayName) {
        public Common {
            Objects.requireNonNull(identifier, "identifier");
            Objects.requireNonNull(uuid, "uuid");
            if (identifier.isBlank() || uuid.isBlank()) {
                throw new IllegalArgumentException("PayloadIdentifier and PayloadUUID must not be empty");
            }
        }

        /** Common keys with a new random UUID. */
        public static Common of(String identifier, String displayName) {
            return new Common(identifier, newUuid(), displayName);
        }

        PlistDict.Builder start(String payloadType) {
            return PlistDict.builder().put("PayloadType", payloadType).put("PayloadVersion", 1)
                    .put("PayloadIdentifier", identifier).put("PayloadUUID", uuid)
                    .putIfNotNull("PayloadDisplayName", displayName);
        }
    }

    /** Any other payload, given as its full dictionary (PayloadType, PayloadIdentifier, PayloadUUID included). */
    record Custom(PlistDict dict) implements Payload {
        public Custom {
            for (String k : new String[] {"PayloadType", "PayloadIdentifier", "PayloadUUID"}) {
                if (!(dict.get(k) instanceof String)) {
                    throw new IllegalArgumentException("payload needs a string " + k);
                }
            }
        }

        @Override
        public String payloadType() {
            return (String) dict.get("PayloadType");
        }

        @Override
        public Common common() {
            return new Common((String) dict.get("PayloadIdentifier"), (String) dict.get("PayloadUUID"),
                    dict.get("PayloadDisplayName") instanceof String s ? s : null);
        }

        @Override
        public PlistDict toDict() {
            return dict;
        }
    }
}
