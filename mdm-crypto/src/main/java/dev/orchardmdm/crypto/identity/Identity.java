package dev.orchardmdm.crypto.identity;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * A device (or user channel) identity proven by a certificate that chains to the SCEP CA.
 *
 * @param commonName   subject CN, e.g. {@code MDM$OTA$<enrollment secret>}; never null
 * @param organization subject O, e.g. {@code MBU$1}, or {@code null}
 * @param serialNumber subject serialNumber (2.5.4.5), or {@code null}
 * @param fingerprint  SHA-256 of the DER certificate, lower-case hex
 * @param certificate  the certificate itself
 */
public record Identity(String commonName, String organization, String serialNumber, String fingerprint,
                       X509Certificate certificate) {
    public Identity {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(certificate, "certificate");
    }

    /** End of the certificate's validity. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }
}
