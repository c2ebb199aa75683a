package dev.orchardmdm.apns;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pkcs12;
import dev.orchardmdm.crypto.push.PushCertificate;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An MDM push certificate with its private key: the TLS client identity of an {@link ApnsClient}, and the
 * {@code apns-topic} of every notification sent with it. Loading, the key check and the topic come from
 * mdm-crypto's {@link PushCertificate}.
 *
 * @param certificate the push certificate (leaf)
 * @param privateKey  its private key
 * @param chain       the certificate followed by any intermediates, as presented in the TLS handshake
 * @param topic       the certificate's topic: its subject UID ({@code 0.9.2342.19200300.100.1.1}),
 *                    {@code com.apple.mgmt.External.<uuid>} for MDM push certificates
 */
public record PushCredentials(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain,
                              String topic) {

    /** Checks the parts are present and coherent; prefer the factories, which also check the key. */
    public PushCredentials {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(topic, "topic");
        chain = List.copyOf(chain);
        if (chain.isEmpty() || !chain.get(0).equals(certificate)) {
            throw new IllegalArgumentException("chain must start with the certificate");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic is blank");
        }
    }

    /**
     * Builds credentials from a push certificate, its key and optional intermediates: checks that the key belongs
     * to the certificate and reads the topic from it.
     *
     * @param certificate   the push certificate
     * @param privateKey    its private key
     * @param intermediates intermediate CA certificates to present, if any
     * @return the credentials
     * @throws ApnsException when the certificate has no topic or the key does not match it
     */
    public static PushCredentials of(X509Certificate certificate, PrivateKey privateKey,
                                     X509Certificate... intermediates) throws ApnsException {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        try {
            return of(PushCertificate.of(certificate, privateKey), List.of(intermediates));
        } catch (CryptoException e) {
            throw new ApnsException("unusable push certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Credentials from a push certificate already checked by mdm-crypto (e.g. loaded from the database).
     *
     * @param push          the certificate, key and topic
     * @param intermediates intermediate CA certificates to present, if any
     * @return the credentials
     */
    public static PushCredentials of(PushCertificate push, List<X509Certificate> intermediates) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(push.certificate());
        chain.addAll(intermediates);
        return new PushCredentials(push.certificate(), push.privateKey(), chain, push.topic());
    }

    /**
     * Reads a push certificate (PEM or DER) and its key (PEM or DER, encrypted or not).
     *
     * @param certificate the certificate file's bytes
     * @param key         the key file's bytes
     * @param keyPassword the key's password, or {@code null}
     * @return the credentials
     * @throws ApnsException when either does not parse, they do not match, or there is no topic
     */
    public static PushCredentials load(byte[] certificate, byte[] key, char[] keyPassword) throws ApnsException {
        try {
            return of(PushCertificate.load(certificate, key, keyPassword), List.of());
        } catch (CryptoException e) {
            throw new ApnsException("unusable push certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a push certificate, its key and any intermediates from a PKCS#12 file (as exported by Keychain
     * Access).
     *
     * @param p12      the file's bytes
     * @param password its password
     * @return the credentials
     * @throws ApnsException when the file does not parse, or holds no usable push certificate
     */
    public static PushCredentials fromPkcs12(byte[] p12, char[] password) throws ApnsException {
        try {
            KeyAndChain keyAndChain = Pkcs12.read(p12, password);
            return of(PushCertificate.of(keyAndChain.certificate(), keyAndChain.privateKey()),
                    keyAndChain.issuers());
        } catch (CryptoException e) {
            throw new ApnsException("unusable push certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the APNs topic of a push certificate: the value of its subject's UID attribute.
     *
     * @param certificate a push certificate
     * @return the topic
     * @throws ApnsException when the subject has no UID attribute
     */
    public static String topicOf(X509Certificate certificate) throws ApnsException {
        try {
            return PushCertificate.topicOf(certificate);
        } catch (CryptoException e) {
            throw new ApnsException("not a push certificate: " + e.getMessage(), e);
        }
    }

    /** When the certificate stops being valid. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "PushCredentials[topic=" + topic + ", notAfter=" + notAfter() + "]";
    }
}
