package dev.orchardmdm.protocol.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One YAML file of Apple's schema: a command, a check-in message, a profile payload, a declaration, a status item,
 * a declarative-management protocol document, an error or another data format.
 *
 * @param kind         what it describes
 * @param name         its RequestType, MessageType, PayloadType, declaration type or status item type
 * @param title        Apple's title
 * @param file         the file, relative to the schema root (e.g. {@code mdm/commands/device.erase.yaml})
 * @param supportedOS  per-OS requirements of the whole item
 * @param payloadKeys  the request / payload keys
 * @param responseKeys the response keys (commands, some check-ins)
 */
public record SchemaDocument(Kind kind, String name, String title, String file,
                             Map<String, OsRequirements> supportedOS, List<SchemaKey> payloadKeys,
                             List<SchemaKey> responseKeys) {

    /** What a schema document describes. */
    public enum Kind { COMMAND, CHECKIN, PROFILE, DECLARATION, STATUS_ITEM, DDM_PROTOCOL, ERROR, OTHER }

    /** A payload key by path, e.g. {@code key("ReturnToService", "Enabled")}. */
    public Optional<SchemaKey> key(String... path) {
        return find(payloadKeys, path);
    }

    /** A response key by path. */
    public Optional<SchemaKey> responseKey(String... path) {
        return find(responseKeys, path);
    }

    private static Optional<SchemaKey> find(List<SchemaKey> keys, String... path) {
        Optional<SchemaKey> cur = Optional.empty();
        List<SchemaKey> level = keys;
        for (String p : path) {
            cur = level.stream().filter(k -> k.name().equals(p)).findFirst();
            if (cur.isEmpty()) {
                return cur;
            }
            level = cur.get().subkeys();
        }
        return cur;
    }

    /** The effective requirements on one OS; empty when the OS is not listed (not supported). */
    public Optional<OsRequirements> requirements(String os) {
        return Optional.ofNullable(supportedOS.get(os));
    }
}
