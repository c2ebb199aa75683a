package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** ManagedApplicationList: the managed apps by bundle identifier. */
public record ManagedApplicationListResponse(Map<String, ManagedApp> applications) {

    /** The state of one managed app. */
    public record ManagedApp(String status, Optional<Long> managementFlags, Optional<Boolean> hasConfiguration,
                             Optional<Boolean> hasFeedback, Optional<Boolean> isValidated,
                             Optional<Long> externalVersionIdentifier, Optional<String> unusedRedemptionCode) {
        /** True for the statuses that mean the app is on the device and managed. */
        public boolean isInstalled() {
            return "Managed".equals(status) || "UserInstalledApp".equals(status);
        }
    }

    /** Decodes a ManagedApplicationList report. */
    public static ManagedApplicationListResponse from(CommandReport report) throws InvalidMessageException {
        PlistDict list = report.raw().dict("ManagedApplicationList").orElse(PlistDict.empty());
        Map<String, ManagedApp> out = new LinkedHashMap<>();
        for (String id : list.keys()) {
            PlistDict a = list.requireDict(id);
            out.put(id, new ManagedApp(a.requireString("Status"), a.integer("ManagementFlags"),
                    a.bool("HasConfiguration"), a.bool("HasFeedback"), a.bool("IsValidated"),
                    a.integer("ExternalVersionIdentifier"), a.string("UnusedRedemptionCode")));
        }
        return new ManagedApplicationListResponse(Map.copyOf(out));
    }
}
