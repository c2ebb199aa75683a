package dev.orchardmdm.cli.certs;

import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * A stand-in for Apple's developer CA: issues an MDM vendor certificate over a {@code vendor.csr},
 * as the Apple Developer portal does.
 */
final class TestVendor {
    private final KeyPair caKeys = KeyPairs.rsa(2048);
    private final X509Certificate ca = new CertificateBuilder("CN=Test Developer Relations CA,O=Orchard tests",
            caKeys.getPublic()).ca(0).validFor(Duration.ofDays(30)).selfSigned(caKeys.getPrivate());

    /** A vendor certificate over the public key of the CSR in {@code csrFile}. */
    X509Certificate issue(Path csrFile) throws Exception {
        PublicKey key = Csrs.publicKey(Csrs.parse(Files.readAllBytes(csrFile)));
        return issue(key);
    }

    /** A vendor certificate over a key that is not the vendor's (the CA's own). */
    X509Certificate issueForAnotherKey() {
        return issue(caKeys.getPublic());
    }

    X509Certificate issue(PublicKey key) {
        return new CertificateBuilder("UID=com.apple.mgmt.External.test,CN=MDM Vendor: Orchard Tests,C=US", key)
                .validFor(Duration.ofDays(30)).issuedBy(ca, caKeys.getPrivate());
    }

    static void writeDer(X509Certificate certificate, Path file) throws Exception {
        Files.write(file, Certificates.der(certificate));
    }

    static void writePem(X509Certificate certificate, Path file) throws Exception {
        Files.writeString(file, Pem.certificate(certificate), StandardCharsets.US_ASCII);
    }
}
