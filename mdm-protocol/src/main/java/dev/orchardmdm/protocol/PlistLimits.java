package dev.orchardmdm.protocol;

/**
 * Bounds applied when reading a property list.
 *
 * @param maxBytes   largest accepted document, in bytes
 * @param maxDepth   deepest accepted nesting of arrays and dictionaries (the root container is depth 1)
 * @param maxObjects most objects (after expanding shared references of binary plists)
 */
public record PlistLimits(int maxBytes, int maxDepth, int maxObjects) {
    /** 10 MiB, depth 32, 1,000,000 objects: fits any real MDM check-in or command report (profiles lists included). */
    public static final PlistLimits DEFAULT = new PlistLimits(10 * 1024 * 1024, 32, 1_000_000);

    public PlistLimits {
        if (maxBytes <= 0 || maxDepth <= 0 || maxObjects <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
