package dev.orchardmdm.apns;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * An MDM push certificate with its private key: the TLS client identity of an {@link ApnsClient}, and the
 * {@code apns-topic} of every notification sent with it.
 *
 * @param certificate the push certificate (leaf)
 * @param privateKey  its private key
 * @param chain       the certificate followed by any intermediates, as presented in the TLS handshake
 * @param topic       the certificate's topic: its subject UID ({@code 0.9.2342.19200300.100.1.1}),
 *                    {@code com.apple.mgmt.External.<uuid>} for MDM push certificates
 */
public record PushCredentials(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain,
                              String topic) {

    /** The subject attribute that carries an APNs topic. */
    public static final String UID_OID = "0.9.2342.19200300.100.1.1";

    /** Checks the parts are present and coherent; prefer {@link #of}. */
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
     * Builds credentials from a push certificate, its key and optional intermediates: reads the topic from the
     * certificate and checks that the key belongs to the certificate.
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
        checkKeyPair(certificate, privateKey);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(List.of(intermediates));
        return new PushCredentials(certificate, privateKey, chain, topicOf(certificate));
    }

    /**
     * Reads the APNs topic of a push certificate: the value of its subject's UID attribute.
     *
     * @param certificate a push certificate
     * @return the topic
     * @throws ApnsException when the subject has no (or more than one) UID attribute
     */
    public static String topicOf(X509Certificate certificate) throws ApnsException {
        String rfc2253 = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        List<String> topics = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
                NamingEnumeration<? extends Attribute> attributes = rdn.toAttributes().getAll();
                while (attributes.hasMore()) {
                    Attribute attribute = attributes.next();
                    String type = attribute.getID();
                    if (type.equalsIgnoreCase("UID") || type.equals(UID_OID)) {
                        if (!(attribute.get() instanceof String value)) {
                            throw new ApnsException("the certificate's UID attribute is not a string");
                        }
                        topics.add(value);
                    }
                }
            }
        } catch (NamingException e) {
            throw new ApnsException("cannot parse the certificate subject", e);
        }
        if (topics.size() != 1 || topics.get(0).isBlank()) {
            throw new ApnsException("not a push certificate: expected one UID (topic) in the subject, found "
                    + topics.size());
        }
        return topics.get(0);
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

    private static void checkKeyPair(X509Certificate certificate, PrivateKey privateKey) throws ApnsException {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new ApnsException("unsupported key algorithm " + privateKey.getAlgorithm());
        };
        try {
            byte[] probe = "orchard push key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new ApnsException("the private key does not belong to the push certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new ApnsException("the private key does not belong to the push certificate", e);
        }
    }
}
