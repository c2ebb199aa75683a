package dev.orchardmdm.crypto.push;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Apple's public certificates bundled with mdm-crypto (the server works offline): Apple Root CA,
 * Apple WWDR CA G3 and the Apple iPhone Device CA chain.
 */
public final class AppleCertificates {
    private static final String BASE = "/dev/orchardmdm/crypto/apple/";

    private AppleCertificates() {
    }

    /** Apple Root CA (valid to 2035). */
    public static X509Certificate appleRootCa() {
        return load("AppleIncRootCertificate.pem").get(0);
    }

    /** Apple Worldwide Developer Relations Certification Authority G3 (valid to 2030). */
    public static X509Certificate wwdrG3() {
        return load("AppleWWDRCAG3.pem").get(0);
    }

    /**
     * Apple iPhone Device CA, Apple iPhone Certification Authority, Apple Root CA: the chain of the
     * certificates that sign device attestations (MachineInfo). Its intermediates are expired.
     */
    public static List<X509Certificate> iPhoneDeviceCaChain() {
        return load("AppleiPhoneDeviceCA-fullchain.pem");
    }

    private static List<X509Certificate> load(String name) {
        try (InputStream in = AppleCertificates.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled resource " + name);
            }
            return Certificates.parseChain(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CryptoException e) {
            throw new IllegalStateException("bundled certificate " + name + " is unreadable", e);
        }
    }
}
