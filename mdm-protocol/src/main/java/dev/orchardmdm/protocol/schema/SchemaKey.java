package dev.orchardmdm.protocol.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One key of a schema document ({@code payloadkeys}/{@code responsekeys} item), with its effective per-OS
 * requirements.
 *
 * @param name        the key; names starting with {@code ANY} are wildcards (any key of a dictionary)
 * @param type        its type
 * @param required    {@code presence: required}
 * @param rangeList   allowed values ({@code rangelist}), empty when unrestricted
 * @param min         {@code range.min}
 * @param max         {@code range.max}
 * @param repetitionMin {@code repetition.min} (arrays)
 * @param repetitionMax {@code repetition.max} (arrays)
 * @param format      a regular expression the string value must match
 * @param defaultValue the documented default
 * @param supportedOS effective requirements per OS (merged with the parent's)
 * @param subkeys     dictionary keys, or array element alternatives
 * @param title       short title, may be empty
 */
public record SchemaKey(String name, ValueType type, boolean required, List<Object> rangeList, Optional<Double> min,
                        Optional<Double> max, Optional<Integer> repetitionMin, Optional<Integer> repetitionMax,
                        Optional<String> format, Optional<Object> defaultValue,
                        Map<String, OsRequirements> supportedOS, List<SchemaKey> subkeys, String title) {

    /** True for wildcard keys ({@code ANY}, {@code ANY app identifier}, ...). */
    public boolean isWildcard() {
        return name.startsWith("ANY");
    }

    /** A direct subkey by name. */
    public Optional<SchemaKey> subkey(String key) {
        return subkeys.stream().filter(k -> k.name.equals(key)).findFirst();
    }

    /** The effective requirements on one OS; empty when the OS is not listed at all (not supported). */
    public Optional<OsRequirements> requirements(String os) {
        return Optional.ofNullable(supportedOS.get(os));
    }

    /** The OSes on which this key is available (listed and not {@code n/a}). */
    public List<String> availableOn() {
        return supportedOS.values().stream().filter(OsRequirements::isAvailable).map(OsRequirements::os).toList();
    }
}
