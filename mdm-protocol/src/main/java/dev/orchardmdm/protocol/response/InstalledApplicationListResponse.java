package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** InstalledApplicationList. */
public record InstalledApplicationListResponse(List<App> applications) {

    /** One installed application. */
    public record App(Optional<String> identifier, Optional<String> name, Optional<String> version,
                      Optional<String> shortVersion, Optional<Long> bundleSize,
                      Optional<Long> externalVersionIdentifier, boolean installing, Optional<Boolean> isValidated,
                      Optional<Boolean> hasUpdateAvailable, PlistDict raw) {
    }

    /** Decodes an InstalledApplicationList report. */
    public static InstalledApplicationListResponse from(CommandReport report) throws InvalidMessageException {
        List<App> out = new ArrayList<>();
        for (PlistDict a : report.raw().dictArray("InstalledApplicationList")) {
            out.add(new App(a.string("Identifier"), a.string("Name"), a.string("Version"), a.string("ShortVersion"),
                    a.integer("BundleSize"), a.integer("ExternalVersionIdentifier"), a.flag("Installing"),
                    a.bool("IsValidated"), a.bool("HasUpdateAvailable"), a));
        }
        return new InstalledApplicationListResponse(List.copyOf(out));
    }

    /** The first application with this bundle identifier. */
    public Optional<App> find(String identifier) {
        return applications.stream().filter(a -> a.identifier().filter(identifier::equals).isPresent()).findFirst();
    }
}
