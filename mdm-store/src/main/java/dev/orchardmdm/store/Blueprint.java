package dev.orchardmdm.store;

import java.time.Instant;

/**
 * A blueprint: the policy a device gets (inventory, collection, FileVault, recovery password,
 * default Apps & Books location).
 *
 * @param inventoryInterval seconds between inventory refreshes (4 h .. 7 d)
 * @param collectApps       NO, MANAGED_ONLY or ALL (also for certificates and profiles)
 */
public record Blueprint(long id, String name, int inventoryInterval, String collectApps, String collectCertificates,
                        String collectProfiles, boolean legacyProfilesViaDdm, Long filevaultConfigId,
                        Long recoveryPasswordConfigId, Long defaultLocationId, Instant createdAt, Instant updatedAt) {

    /** What an admin sets. */
    public record Spec(String name, int inventoryInterval, String collectApps, String collectCertificates,
                       String collectProfiles, boolean legacyProfilesViaDdm, Long filevaultConfigId,
                       Long recoveryPasswordConfigId, Long defaultLocationId) {
        private static final java.util.Set<String> COLLECT = java.util.Set.of("NO", "MANAGED_ONLY", "ALL");

        public Spec {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name is required");
            }
            if (inventoryInterval < 4 * 3600 || inventoryInterval > 7 * 86400) {
                throw new IllegalArgumentException("inventory_interval must be 4 hours .. 7 days (seconds)");
            }
            for (String c : new String[] {collectApps, collectCertificates, collectProfiles}) {
                if (!COLLECT.contains(c)) {
                    throw new IllegalArgumentException("collect option must be NO, MANAGED_ONLY or ALL");
                }
            }
        }

        /** Defaults: daily inventory, collect nothing, legacy profiles via DDM. */
        public static Spec named(String name) {
            return new Spec(name, 86400, "NO", "NO", "NO", true, null, null, null);
        }
    }
}
