package dev.orchardmdm.crypto.keys;

import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.KeyMismatchException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * X.509 certificates: parsing (PEM or DER, single or chains), fingerprints, subject attributes and
 * the key/certificate match check.
 */
public final class Certificates {
    private static final String PEM_MARK = "-----BEGIN";

    private Certificates() {
    }

    /** Parses one DER or PEM certificate (the first one if the PEM holds several). */
    public static X509Certificate parse(byte[] derOrPem) throws MalformedDataException, OversizedInputException {
        List<X509Certificate> all = parseChain(derOrPem);
        return all.get(0);
    }

    /** Parses a PEM text holding one or more certificates. */
    public static List<X509Certificate> parseChain(String pem) throws MalformedDataException, OversizedInputException {
        return parseChain(pem.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Parses one DER certificate, or a PEM text of one or more certificates (leaf first, as written).
     *
     * @throws MalformedDataException if nothing parses as a certificate
     */
    public static List<X509Certificate> parseChain(byte[] derOrPem) throws MalformedDataException, OversizedInputException {
        Limits.check("certificate input", derOrPem.length, Limits.MAX_ENCODED);
        if (isPem(derOrPem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Pem.Block block : Pem.blocks(new String(derOrPem, StandardCharsets.US_ASCII))) {
                if (block.type().equals("CERTIFICATE") || block.type().equals("X509 CERTIFICATE")
                        || block.type().equals("TRUSTED CERTIFICATE")) {
                    out.add(parseDer(block.der()));
                }
            }
            if (out.isEmpty()) {
                throw new MalformedDataException("no CERTIFICATE block in the PEM input");
            }
            return List.copyOf(out);
        }
        return List.of(parseDer(derOrPem));
    }

    /** Parses exactly one DER-encoded certificate. */
    public static X509Certificate parseDer(byte[] der) throws MalformedDataException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            ByteArrayInputStream in = new ByteArrayInputStream(der);
            X509Certificate cert = (X509Certificate) cf.generateCertificate(in);
            if (in.available() != 0) {
                throw new MalformedDataException("trailing bytes after the DER certificate");
            }
            return cert;
        } catch (CertificateException | RuntimeException e) {
            throw new MalformedDataException("not a valid X.509 certificate", e);
        }
    }

    static boolean isPem(byte[] data) {
        String head = new String(data, 0, Math.min(data.length, 4096), StandardCharsets.US_ASCII);
        return head.contains(PEM_MARK);
    }

    /** DER encoding of a certificate. */
    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be re-encoded", e);
        }
    }

    /** SHA-256 of the DER certificate, lower-case hex without separators (64 characters). */
    public static String sha256Fingerprint(X509Certificate certificate) {
        return HexFormat.of().formatHex(sha256(der(certificate)));
    }

    /** SHA-256 of the DER certificate, as upper-case hex pairs separated by colons (as {@code openssl -fingerprint}). */
    public static String sha256FingerprintColons(X509Certificate certificate) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256(der(certificate)));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** The subject of a certificate as a Bouncy Castle name (for the builders of this package). */
    static X500Name subject(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    /** The value of the first subject attribute of this type (e.g. {@link NameAttribute#UID}), or {@code null}. */
    public static String subjectAttribute(X509Certificate certificate, NameAttribute attribute) {
        return attribute(certificate.getSubjectX500Principal(), attribute);
    }

    /** The value of the first attribute of this type in {@code name}, or {@code null}. */
    public static String attribute(X500Principal name, NameAttribute attribute) {
        ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(attribute.oid());
        for (RDN rdn : X500Name.getInstance(name.getEncoded()).getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(oid)) {
                    return valueString(atv.getValue());
                }
            }
        }
        return null;
    }

    static String valueString(ASN1Encodable value) {
        if (value instanceof ASN1String s) {
            return s.getString();
        }
        return IETFUtils.valueToString(value);
    }

    /**
     * Checks that {@code key} is the private key of {@code certificate}: signs a random challenge
     * with the key and verifies it with the certificate's public key (RSA and EC alike).
     *
     * @throws KeyMismatchException if they do not belong together
     */
    public static void checkKeyMatches(X509Certificate certificate, PrivateKey key) throws KeyMismatchException {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        String algorithm = KeyPairs.signatureAlgorithm(key);
        try {
            Signature signer = Signature.getInstance(algorithm, Bc.PROVIDER);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, Bc.PROVIDER);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new KeyMismatchException("the private key does not belong to the certificate");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyMismatchException("the private key does not belong to the certificate (" + e.getMessage() + ")");
        }
    }
}
