package dev.orchardmdm.crypto.push;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.NameAttribute;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.keys.Pkcs12;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * An APNs MDM push certificate with its private key, checked to belong together.
 *
 * @param certificate the push certificate issued by Apple
 * @param privateKey  its private key
 * @param topic       the APNs topic: the subject UID (OID 0.9.2342.19200300.100.1.1),
 *                    e.g. {@code com.apple.mgmt.External.<uuid>}
 * @param notBefore   start of validity
 * @param notAfter    end of validity (Apple push certificates last one year)
 */
public record PushCertificate(X509Certificate certificate, PrivateKey privateKey, String topic,
                              Instant notBefore, Instant notAfter) {
    public PushCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(topic, "topic");
    }

    /**
     * Reads a push certificate (PEM or DER) and its key (PEM or DER, encrypted or not), checks that
     * they match and extracts the topic.
     *
     * @param keyPassword password of an encrypted key, or {@code null}
     * @throws dev.orchardmdm.crypto.KeyMismatchException if the key is not the certificate's
     * @throws MalformedDataException                     if either does not parse or there is no topic
     */
    public static PushCertificate load(byte[] certificate, byte[] key, char[] keyPassword) throws CryptoException {
        X509Certificate cert = Certificates.parse(certificate);
        PrivateKey pk = Pem.readPrivateKey(key, keyPassword);
        return of(cert, pk);
    }

    /** Reads a push certificate and key from a PKCS#12 file (as exported from Keychain Access). */
    public static PushCertificate fromPkcs12(byte[] p12, char[] password) throws CryptoException {
        KeyAndChain kc = Pkcs12.read(p12, password);
        return of(kc.certificate(), kc.privateKey());
    }

    /** Checks that the key matches the certificate and extracts topic and validity. */
    public static PushCertificate of(X509Certificate certificate, PrivateKey key) throws CryptoException {
        Certificates.checkKeyMatches(certificate, key);
        return new PushCertificate(certificate, key, topicOf(certificate),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    /**
     * The APNs topic of a push certificate: its subject UID.
     *
     * @throws MalformedDataException if the subject has no UID
     */
    public static String topicOf(X509Certificate certificate) throws MalformedDataException {
        String uid = Certificates.subjectAttribute(certificate, NameAttribute.UID);
        if (uid == null || uid.isBlank()) {
            throw new MalformedDataException("the push certificate subject has no UID (topic)");
        }
        return uid;
    }

    /** True if {@code at} is within the certificate's validity. */
    public boolean isValidAt(Instant at) {
        return !at.isBefore(notBefore) && !at.isAfter(notAfter);
    }

    /** SHA-256 fingerprint of the certificate (lower-case hex). */
    public String fingerprint() {
        return Certificates.sha256Fingerprint(certificate);
    }
}
