package dev.orchardmdm.store;

import java.time.Instant;

/**
 * A recovery lock / firmware password configuration. The static password is stored encrypted and
 * read only through {@link BlueprintRepository#staticPassword}.
 */
public record RecoveryPasswordConfig(long id, String name, boolean dynamicPassword, boolean hasStaticPassword,
                                     int rotationIntervalDays, int revealRotationDelay, boolean rotateFirmwarePassword,
                                     Instant createdAt, Instant updatedAt) {

    /**
     * What an admin sets.
     *
     * @param staticPassword required when not dynamic (8..32 printable ASCII), forbidden otherwise
     * @param rotationIntervalDays 0..365
     * @param revealRotationDelay  minutes, 0..1440
     */
    public record Spec(String name, boolean dynamicPassword, String staticPassword, int rotationIntervalDays,
                       int revealRotationDelay, boolean rotateFirmwarePassword) {
        public Spec {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name is required");
            }
            if (dynamicPassword && staticPassword != null) {
                throw new IllegalArgumentException("a static password cannot be set with a dynamic password");
            }
            if (!dynamicPassword && (staticPassword == null || !staticPassword.matches("[\\x20-\\x7e]{8,32}"))) {
                throw new IllegalArgumentException("the static password must be 8..32 printable ASCII characters");
            }
            if (!dynamicPassword && (rotationIntervalDays != 0 || rotateFirmwarePassword)) {
                throw new IllegalArgumentException("rotation requires a dynamic password");
            }
            if (rotationIntervalDays < 0 || rotationIntervalDays > 365 || revealRotationDelay < 0 || revealRotationDelay > 1440) {
                throw new IllegalArgumentException("rotation_interval_days 0..365, reveal_rotation_delay 0..1440");
            }
        }

        @Override
        public String toString() {
            return "Spec[name=" + name + ", dynamicPassword=" + dynamicPassword + ", staticPassword=<redacted>]";
        }
    }
}
