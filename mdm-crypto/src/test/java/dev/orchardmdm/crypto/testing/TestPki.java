package dev.orchardmdm.crypto.testing;

import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A small test PKI: a CA (root, or root plus intermediate) that issues device certificates, and
 * helpers that sign request bodies the way Apple devices do ({@code Mdm-Signature}). For tests
 * only (device simulators, identity tests); keys are RSA-2048 unless an EC pair is passed.
 */
public final class TestPki {
    private final KeyAndChain ca;

    private TestPki(KeyAndChain ca) {
        this.ca = ca;
    }

    /** A self-signed RSA-2048 root CA named {@code CN=<name>}, valid 10 years. */
    public static TestPki create(String name) {
        KeyPair kp = KeyPairs.rsa(2048);
        X509Certificate root = new CertificateBuilder("CN=" + name + ",O=Orchard Tests", kp.getPublic())
                .validFor(Duration.ofDays(3650)).ca(null).selfSigned(kp.getPrivate());
        return new TestPki(KeyAndChain.of(kp.getPrivate(), root));
    }

    /** A root CA and an intermediate issuing CA under it; devices are issued by the intermediate. */
    public static TestPki createWithIntermediate(String name) {
        TestPki root = create(name + " Root");
        KeyPair kp = KeyPairs.rsa(2048);
        X509Certificate intermediate = new CertificateBuilder("CN=" + name + ",O=Orchard Tests", kp.getPublic())
                .validFor(Duration.ofDays(3650)).ca(0).issuedBy(root.certificate(), root.ca.privateKey());
        return new TestPki(new KeyAndChain(kp.getPrivate(), List.of(intermediate, root.certificate())));
    }

    /**
     * A sub-CA issued by this CA (path length 0): devices it issues chain through it to this CA.
     * Two sub-CAs of one root model Apple's iPhone Device CA and a sibling such as the developer CA.
     */
    public TestPki intermediate(String name) {
        KeyPair kp = KeyPairs.rsa(2048);
        X509Certificate sub = new CertificateBuilder("CN=" + name + ",O=Orchard Tests", kp.getPublic())
                .validFor(Duration.ofDays(3650)).ca(0).issuedBy(ca.certificate(), ca.privateKey());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(sub);
        chain.addAll(ca.chain());
        return new TestPki(new KeyAndChain(kp.getPrivate(), chain));
    }

    /** The issuing CA's certificate. */
    public X509Certificate certificate() {
        return ca.certificate();
    }

    /** The issuing CA's key and chain (issuing CA first, root last). */
    public KeyAndChain ca() {
        return ca;
    }

    /** The CA chain, issuing CA first: what the server is configured with as {@code scep_ca_fullchain}. */
    public List<X509Certificate> chain() {
        return ca.chain();
    }

    /** Subject text {@code CN=..,O=..,SERIALNUMBER=..} built safely from values (null values are left out). */
    public static String subject(String cn, String o, String serialNumber) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        if (cn != null) {
            b.addRDN(BCStyle.CN, cn);
        }
        if (o != null) {
            b.addRDN(BCStyle.O, o);
        }
        if (serialNumber != null) {
            b.addRDN(BCStyle.SERIALNUMBER, serialNumber);
        }
        return b.build().toString();
    }

    /** A device identity (RSA-2048, valid one year) with this CN, O and serialNumber. */
    public KeyAndChain issueDevice(String cn, String o, String serialNumber) {
        Instant now = Instant.now();
        return issue(subject(cn, o, serialNumber), KeyPairs.rsa(2048), now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(365)));
    }

    /** A device identity with any subject, key pair and validity; the chain includes the CA chain. */
    public KeyAndChain issue(String subject, KeyPair keyPair, Instant notBefore, Instant notAfter) {
        X509Certificate cert = new CertificateBuilder(new org.bouncycastle.asn1.x500.X500Name(BCStyle.INSTANCE, subject),
                keyPair.getPublic())
                .validity(notBefore, notAfter)
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
                .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
                .issuedBy(ca.certificate(), ca.privateKey());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(ca.chain());
        return new KeyAndChain(keyPair.getPrivate(), chain);
    }

    /** How a simulated device builds its {@code Mdm-Signature}. */
    public record SignatureStyle(String digest, boolean signedAttributes, boolean ber) {
        /** What real devices send: SHA-1, no signed attributes, BER indefinite length. */
        public static final SignatureStyle DEVICE = new SignatureStyle("SHA1", false, true);
        /** DER, SHA-256, with signed attributes. */
        public static final SignatureStyle MODERN = new SignatureStyle("SHA256", true, false);
    }

    /** The {@code Mdm-Signature} header value of {@code body}: base64 of a detached CMS SignedData. */
    public static String mdmSignature(byte[] body, KeyAndChain device, SignatureStyle style) {
        return Base64.getEncoder().encodeToString(detachedSignature(body, device, style));
    }

    /** A detached CMS SignedData over {@code body}, carrying the device certificate (not the CA chain). */
    public static byte[] detachedSignature(byte[] body, KeyAndChain device, SignatureStyle style) {
        try {
            JcaSignerInfoGeneratorBuilder infoBuilder = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build());
            infoBuilder.setDirectSignature(!style.signedAttributes());
            SignerInfoGenerator info = infoBuilder.build(new JcaContentSignerBuilder(
                    KeyPairs.signatureAlgorithm(device.privateKey(), style.digest())).setProvider(Bc.PROVIDER)
                    .build(device.privateKey()), device.certificate());
            JcaCertStore certs = new JcaCertStore(List.of(device.certificate()));
            if (style.ber()) {
                CMSSignedDataStreamGenerator gen = new CMSSignedDataStreamGenerator();
                gen.addSignerInfoGenerator(info);
                gen.addCertificates(certs);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (OutputStream sig = gen.open(out, false)) {
                    sig.write(body);
                }
                return out.toByteArray();
            }
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(info);
            gen.addCertificates(certs);
            return gen.generate(new CMSProcessableByteArray(body), false).getEncoded("DER");
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign the body", e);
        }
    }

    /** Helper for tests: bytes of a string in UTF-8. */
    public static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes a file into {@code dir} and returns its path (for command-line interop). */
    public static java.nio.file.Path write(java.nio.file.Path dir, String name, byte[] content) throws IOException {
        return java.nio.file.Files.write(dir.resolve(name), content);
    }
}
