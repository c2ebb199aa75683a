package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** ProfileList: the installed configuration profiles. */
public record ProfileListResponse(List<Profile> profiles) {

    /** One installed profile. */
    public record Profile(String payloadIdentifier, String payloadUuid, Optional<String> displayName,
                          Optional<String> organization, Optional<String> description, Optional<Long> version,
                          boolean removalDisallowed, boolean hasRemovalPasscode, boolean isEncrypted,
                          Optional<Boolean> isManaged, List<PlistData> signerCertificates,
                          List<PayloadSummary> payloadContent, PlistDict raw) {
    }

    /** One entry of a profile's {@code PayloadContent}. */
    public record PayloadSummary(String payloadType, Optional<String> payloadIdentifier,
                                 Optional<String> payloadUuid, Optional<Long> payloadVersion,
                                 Optional<String> displayName) {
    }

    /** Decodes a ProfileList report. */
    public static ProfileListResponse from(CommandReport report) throws InvalidMessageException {
        List<Profile> out = new ArrayList<>();
        for (PlistDict p : report.raw().dictArray("ProfileList")) {
            List<PlistData> signers = new ArrayList<>();
            for (Object o : p.array("SignerCertificates")) {
                if (!(o instanceof PlistData d)) {
                    throw new InvalidMessageException("SignerCertificates must hold data");
                }
                signers.add(d);
            }
            List<PayloadSummary> content = new ArrayList<>();
            for (PlistDict c : p.dictArray("PayloadContent")) {
                content.add(new PayloadSummary(c.requireString("PayloadType"), c.string("PayloadIdentifier"),
                        c.string("PayloadUUID"), c.integer("PayloadVersion"), c.string("PayloadDisplayName")));
            }
            out.add(new Profile(p.requireString("PayloadIdentifier"), p.requireString("PayloadUUID"),
                    p.string("PayloadDisplayName"), p.string("PayloadOrganization"), p.string("PayloadDescription"),
                    p.integer("PayloadVersion"), p.flag("PayloadRemovalDisallowed"), p.flag("HasRemovalPasscode"),
                    p.flag("IsEncrypted"), p.bool("IsManaged"), List.copyOf(signers), List.copyOf(content), p));
        }
        return new ProfileListResponse(List.copyOf(out));
    }
}
