package dev.orchardmdm.crypto.keys;

import dev.orchardmdm.crypto.Bc;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds X.509 v3 certificates: self-signed CAs, issued device or server certificates. A builder is
 * a short-lived local object; the certificates it makes are immutable.
 *
 * <pre>{@code
 * X509Certificate ca = new CertificateBuilder("CN=Orchard SCEP CA", caKeys.getPublic())
 *         .validFor(Duration.ofDays(3650)).ca(0).selfSigned(caKeys.getPrivate());
 * }</pre>
 */
public final class CertificateBuilder {
    private final X500Name subject;
    private final PublicKey publicKey;
    private Instant notBefore = Instant.now().minus(Duration.ofMinutes(5));
    private Instant notAfter = notBefore.plus(Duration.ofDays(365));
    private BigInteger serial = randomSerial();
    private Integer pathLength;
    private boolean ca;
    private int keyUsage = KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
    private final List<KeyPurposeId> extendedKeyUsages = new ArrayList<>();
    private String digest = "SHA256";

    /** A builder for a certificate with this subject (RFC 4514 text, e.g. {@code CN=a,O=b}) and public key. */
    public CertificateBuilder(String subject, PublicKey publicKey) {
        this(new X500Name(subject), publicKey);
    }

    /** A builder for a certificate with this subject and public key. */
    public CertificateBuilder(X500Name subject, PublicKey publicKey) {
        this.subject = Objects.requireNonNull(subject);
        this.publicKey = Objects.requireNonNull(publicKey);
    }

    /** A random positive 128-bit serial number. */
    public static BigInteger randomSerial() {
        return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
    }

    /** Valid from {@code from} to {@code to}. */
    public CertificateBuilder validity(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
        this.notBefore = from;
        this.notAfter = to;
        return this;
    }

    /** Valid from five minutes ago for {@code duration}. */
    public CertificateBuilder validFor(Duration duration) {
        Instant from = Instant.now().minus(Duration.ofMinutes(5));
        return validity(from, from.plus(duration));
    }

    /** The serial number (default: random 128 bits). */
    public CertificateBuilder serial(BigInteger serialNumber) {
        this.serial = serialNumber;
        return this;
    }

    /** Makes a CA certificate (basicConstraints CA, keyCertSign and cRLSign); {@code pathLength} may be null. */
    public CertificateBuilder ca(Integer pathLength) {
        this.ca = true;
        this.pathLength = pathLength;
        this.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature;
        return this;
    }

    /** Key usage bits ({@link KeyUsage} constants, OR-ed). */
    public CertificateBuilder keyUsage(int bits) {
        this.keyUsage = bits;
        return this;
    }

    /** Adds an extended key usage. */
    public CertificateBuilder extendedKeyUsage(KeyPurposeId purpose) {
        this.extendedKeyUsages.add(purpose);
        return this;
    }

    /** Signature digest: SHA1, SHA256 (default), SHA384 or SHA512. */
    public CertificateBuilder digest(String digestName) {
        this.digest = digestName;
        return this;
    }

    /** Signs the certificate with its own key. */
    public X509Certificate selfSigned(PrivateKey privateKey) {
        return sign(subject, null, privateKey);
    }

    /** Signs the certificate with an issuer's certificate and key. */
    public X509Certificate issuedBy(X509Certificate issuer, PrivateKey issuerKey) {
        return sign(Certificates.subject(issuer), issuer, issuerKey);
    }

    private X509Certificate sign(X500Name issuerName, X509Certificate issuer, PrivateKey signingKey) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial,
                    Date.from(notBefore), Date.from(notAfter), subject, publicKey);
            b.addExtension(Extension.basicConstraints, true,
                    ca ? (pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength))
                       : new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (!extendedKeyUsages.isEmpty()) {
                b.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(extendedKeyUsages.toArray(new KeyPurposeId[0])));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            if (issuer != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
            }
            ContentSigner signer = new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(signingKey, digest))
                    .setProvider(Bc.PROVIDER).build(signingKey);
            X509CertificateHolder holder = b.build(signer);
            return Certificates.parseDer(holder.getEncoded());
        } catch (IOException | OperatorCreationException | CertificateException | dev.orchardmdm.crypto.MalformedDataException
                 | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build the certificate", e);
        }
    }
}
