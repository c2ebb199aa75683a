package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import java.util.ArrayList;
import java.util.List;

/** CertificateList: the installed certificates (DER). */
public record CertificateListResponse(List<Certificate> certificates) {

    /** One certificate. */
    public record Certificate(String commonName, boolean isIdentity, PlistData der) {
    }

    /** Decodes a CertificateList report. */
    public static CertificateListResponse from(CommandReport report) throws InvalidMessageException {
        List<Certificate> out = new ArrayList<>();
        for (PlistDict c : report.raw().dictArray("CertificateList")) {
            out.add(new Certificate(c.string("CommonName").orElse(""), c.flag("IsIdentity"),
                    PlistData.of(c.requireData("Data"))));
        }
        return new CertificateListResponse(List.copyOf(out));
    }
}
