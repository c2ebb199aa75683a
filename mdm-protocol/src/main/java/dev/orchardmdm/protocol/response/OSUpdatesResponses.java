package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed views of AvailableOSUpdates and OSUpdateStatus. */
public final class OSUpdatesResponses {
    private OSUpdatesResponses() {
    }

    /** AvailableOSUpdates. */
    public record AvailableOSUpdates(List<Update> updates) {
        public static AvailableOSUpdates from(CommandReport report) throws InvalidMessageException {
            List<Update> out = new ArrayList<>();
            for (PlistDict u : report.raw().dictArray("AvailableOSUpdates")) {
                out.add(new Update(u.requireString("ProductKey"), u.string("HumanReadableName"),
                        u.string("ProductName"), u.string("Version"), u.string("Build"), u.integer("DownloadSize"),
                        u.integer("InstallSize"), u.flag("IsCritical"), u.flag("IsMajorOSUpdate"),
                        u.flag("RestartRequired"), u.flag("IsSecurityResponse"), u.string("SupplementalBuildVersion"),
                        u));
            }
            return new AvailableOSUpdates(List.copyOf(out));
        }
    }

    /** One available update. */
    public record Update(String productKey, Optional<String> humanReadableName, Optional<String> productName,
                         Optional<String> version, Optional<String> build, Optional<Long> downloadSize,
                         Optional<Long> installSize, boolean isCritical, boolean isMajorOSUpdate,
                         boolean restartRequired, boolean isSecurityResponse,
                         Optional<String> supplementalBuildVersion, PlistDict raw) {
    }

    /** OSUpdateStatus. */
    public record OSUpdateStatus(List<Status> updates) {
        public static OSUpdateStatus from(CommandReport report) throws InvalidMessageException {
            List<Status> out = new ArrayList<>();
            for (PlistDict u : report.raw().dictArray("OSUpdateStatus")) {
                out.add(new Status(u.requireString("ProductKey"), u.flag("IsDownloaded"),
                        u.real("DownloadPercentComplete").orElse(0.0), u.string("Status").orElse(""),
                        u.integer("MaxDeferrals"), u.integer("DeferralsRemaining"),
                        u.date("NextScheduledInstall")));
            }
            return new OSUpdateStatus(List.copyOf(out));
        }
    }

    /** The status of one update. */
    public record Status(String productKey, boolean isDownloaded, double downloadPercentComplete, String status,
                         Optional<Long> maxDeferrals, Optional<Long> deferralsRemaining,
                         Optional<Instant> nextScheduledInstall) {
    }
}
