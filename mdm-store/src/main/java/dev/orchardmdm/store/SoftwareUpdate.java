package dev.orchardmdm.store;

import java.time.Instant;
import java.util.List;

/**
 * A software update of Apple's catalog.
 *
 * @param extra             the Rapid Security Response suffix, "" if none
 * @param prerequisiteBuild "" if none
 * @param publicRelease     Zentral's {@code public}
 */
public record SoftwareUpdate(long id, String platform, int major, int minor, int patch, String extra, String build,
                             String prerequisiteBuild, boolean publicRelease, Instant availabilityStart,
                             Instant availabilityEnd, Instant createdAt, Instant updatedAt) {

    /** One update of a sync, with the device ids (models) it applies to. */
    public record Spec(String platform, int major, int minor, int patch, String extra, String build, String prerequisiteBuild,
                       boolean publicRelease, Instant availabilityStart, Instant availabilityEnd, List<String> deviceIds) {
        public Spec {
            if (platform == null || build == null) {
                throw new IllegalArgumentException("platform and build are required");
            }
            extra = extra == null ? "" : extra;
            prerequisiteBuild = prerequisiteBuild == null ? "" : prerequisiteBuild;
            deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
        }
    }

    /** How a sync changed the catalog. */
    public record SyncResult(int created, int updated, int deleted) {
    }
}
