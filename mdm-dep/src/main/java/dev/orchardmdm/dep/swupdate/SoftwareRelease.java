package dev.orchardmdm.dep.swupdate;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One operating-system release of Apple's software-update catalog.
 *
 * @param channel           which list it comes from
 * @param platform          the catalog's platform key: {@code iOS}, {@code macOS}, {@code visionOS}, ...
 * @param productVersion    {@code ProductVersion}, e.g. {@code "16.1.1"}
 * @param major             major version
 * @param minor             minor version (0 when absent)
 * @param patch             patch version (0 when absent)
 * @param productVersionExtra {@code ProductVersionExtra} of a background security release, e.g. {@code "(a)"}
 * @param build             {@code Build}
 * @param prerequisiteBuild {@code PrerequisiteBuild}: the build a background security release applies to
 * @param postingDate       {@code PostingDate}: available from this day
 * @param expirationDate    {@code ExpirationDate}: no longer offered from this day; null when open-ended
 * @param supportedDevices  {@code SupportedDevices}: board ids / model identifiers
 */
public record SoftwareRelease(ReleaseChannel channel, String platform, String productVersion, int major, int minor,
                              int patch, String productVersionExtra, String build, String prerequisiteBuild,
                              LocalDate postingDate, LocalDate expirationDate, List<String> supportedDevices) {

    /** Newest version first, then newest build. */
    public static final Comparator<SoftwareRelease> NEWEST_FIRST = Comparator
            .comparingInt(SoftwareRelease::major).thenComparingInt(SoftwareRelease::minor)
            .thenComparingInt(SoftwareRelease::patch).thenComparing(SoftwareRelease::build).reversed();

    public SoftwareRelease {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(productVersion, "productVersion");
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(postingDate, "postingDate");
        supportedDevices = List.copyOf(supportedDevices);
    }

    /** True when offered on {@code day}: from the posting date, up to but excluding the expiration date. */
    public boolean isAvailableOn(LocalDate day) {
        return !day.isBefore(postingDate) && (expirationDate == null || day.isBefore(expirationDate));
    }

    /** True when the release supports this device id ({@code SoftwareUpdateDeviceID} / board id). */
    public boolean supports(String deviceId) {
        return supportedDevices.contains(deviceId);
    }
}
