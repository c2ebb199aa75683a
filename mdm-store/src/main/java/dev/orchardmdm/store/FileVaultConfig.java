package dev.orchardmdm.store;

import java.time.Instant;

/** A FileVault configuration of blueprints (Zentral's field names and ranges). */
public record FileVaultConfig(long id, String name, String escrowLocationDisplayName, boolean atLoginOnly,
                              int bypassAttempts, boolean showRecoveryKey, boolean destroyKeyOnStandby,
                              int prkRotationIntervalDays, int prkRevealRotationDelay, Instant createdAt,
                              Instant updatedAt) {

    /**
     * What an admin sets.
     *
     * @param bypassAttempts         -1..9999
     * @param prkRotationIntervalDays 0..366
     * @param prkRevealRotationDelay  minutes: 0 or 5..1440
     */
    public record Spec(String name, String escrowLocationDisplayName, boolean atLoginOnly, int bypassAttempts,
                       boolean showRecoveryKey, boolean destroyKeyOnStandby, int prkRotationIntervalDays,
                       int prkRevealRotationDelay) {
        public Spec {
            if (name == null || name.isBlank() || escrowLocationDisplayName == null || escrowLocationDisplayName.isBlank()) {
                throw new IllegalArgumentException("name and escrow location display name are required");
            }
            if (bypassAttempts < -1 || bypassAttempts > 9999) {
                throw new IllegalArgumentException("bypass_attempts must be -1..9999");
            }
            if (prkRotationIntervalDays < 0 || prkRotationIntervalDays > 366) {
                throw new IllegalArgumentException("prk_rotation_interval_days must be 0..366");
            }
            if (prkRevealRotationDelay != 0 && (prkRevealRotationDelay < 5 || prkRevealRotationDelay > 1440)) {
                throw new IllegalArgumentException("prk_reveal_rotation_delay must be 0 or 5..1440");
            }
        }
    }
}
