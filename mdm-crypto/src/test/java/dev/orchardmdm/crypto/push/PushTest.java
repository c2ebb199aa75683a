package dev.orchardmdm.crypto.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dd.plist.NSDictionary;
import com.dd.plist.PropertyListParser;
import dev.orchardmdm.crypto.KeyMismatchException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.SignatureVerificationException;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.keys.Pkcs12;
import dev.orchardmdm.crypto.testing.Openssl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushTest {
    static KeyPair pushKeys;
    static X509Certificate pushCert;
    static KeyPair vendorKeys;
    static X509Certificate vendorCert;
    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        pushKeys = KeyPairs.rsa(2048);
        pushCert = new CertificateBuilder("UID=com.apple.mgmt.External.0f3c1a2b-1111-2222-3333-444455556666,"
                + "CN=APSP:0f3c1a2b-1111-2222-3333-444455556666,C=US", pushKeys.getPublic())
                .validity(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"))
                .selfSigned(pushKeys.getPrivate());
        vendorKeys = KeyPairs.rsa(2048);
        vendorCert = new CertificateBuilder("CN=MDM Vendor: Orchard Tests,C=US", vendorKeys.getPublic())
                .selfSigned(vendorKeys.getPrivate());
    }

    @Test
    void bundledAppleCertificatesMatchTheirPublishedFingerprints() {
        assertThat(Certificates.sha256Fingerprint(AppleCertificates.appleRootCa()))
                .isEqualToIgnoringCase("B0B1730ECBC7FF4505142C49F1295E6EDA6BCAED7E2C68C5BE91B5A11001F024");
        assertThat(Certificates.sha256Fingerprint(AppleCertificates.wwdrG3()))
                .isEqualToIgnoringCase("DCF21878C77F4198E4B4614F03D696D89C66C66008D4244E1B99161AAC91601F");
        assertThat(AppleCertificates.iPhoneDeviceCaChain()).hasSize(3);
    }

    @Test
    void loadsPushCertificateAndKeyAndExtractsTopic() throws Exception {
        PushCertificate pc = PushCertificate.load(Pem.certificate(pushCert).getBytes(StandardCharsets.US_ASCII),
                Pem.encryptedPrivateKey(pushKeys.getPrivate(), "pw".toCharArray()).getBytes(StandardCharsets.US_ASCII),
                "pw".toCharArray());
        assertThat(pc.topic()).isEqualTo("com.apple.mgmt.External.0f3c1a2b-1111-2222-3333-444455556666");
        assertThat(pc.notBefore()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(pc.notAfter()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(pc.isValidAt(Instant.parse("2026-06-01T00:00:00Z"))).isTrue();
        assertThat(pc.isValidAt(Instant.parse("2027-06-01T00:00:00Z"))).isFalse();

        byte[] p12 = Pkcs12.write(KeyAndChain.of(pushKeys.getPrivate(), pushCert), "push", "x".toCharArray());
        assertThat(PushCertificate.fromPkcs12(p12, "x".toCharArray()).topic()).isEqualTo(pc.topic());

        byte[] otherKey = Pem.privateKey(KeyPairs.rsa(2048).getPrivate()).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PushCertificate.load(pushCert.getEncoded(), otherKey, null))
                .isInstanceOf(KeyMismatchException.class);
        assertThatThrownBy(() -> PushCertificate.of(vendorCert, vendorKeys.getPrivate()))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("UID");
    }

    @Test
    void signsPushCsrIntoPushB64AsAppleExpects() throws Exception {
        byte[] csr = Csrs.create(pushKeys, "CN=MDM Push,C=FR");
        PushCsrSigner signer = new PushCsrSigner(KeyAndChain.of(vendorKeys.getPrivate(), vendorCert));
        String b64 = signer.sign(csr);

        NSDictionary plist = (NSDictionary) PropertyListParser.parse(Base64.getDecoder().decode(b64));
        String xml = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        assertThat(xml).startsWith("<?xml").contains("<key>PushCertRequestCSR</key>");
        assertThat(plist.keySet()).containsExactlyInAnyOrder("PushCertCertificateChain", "PushCertRequestCSR",
                "PushCertSignature");
        assertThat(Base64.getDecoder().decode(plist.get("PushCertRequestCSR").toJavaObject().toString())).isEqualTo(csr);
        List<X509Certificate> chain = Certificates.parseChain(plist.get("PushCertCertificateChain").toJavaObject().toString());
        assertThat(chain).containsExactly(vendorCert, AppleCertificates.wwdrG3(), AppleCertificates.appleRootCa());

        // the signature is exactly `openssl dgst -sha256 -sign vendor.key push.csr` (PKCS#1 v1.5 is deterministic)
        Files.write(dir.resolve("push.csr"), csr);
        Files.writeString(dir.resolve("vendor.key"), Pem.privateKey(vendorKeys.getPrivate()));
        byte[] opensslSig = Openssl.ok(dir, "dgst", "-sha256", "-sign", "vendor.key", "push.csr");
        assertThat(Base64.getDecoder().decode(plist.get("PushCertSignature").toJavaObject().toString())).isEqualTo(opensslSig);

        PushCsrSigner.PushRequest req = PushCsrSigner.verify(b64);
        assertThat(req.csrDer()).isEqualTo(csr);
    }

    @Test
    void rejectsForgedOrGarbagePushRequests() throws Exception {
        PushCsrSigner signer = new PushCsrSigner(KeyAndChain.of(vendorKeys.getPrivate(), vendorCert));
        String b64 = signer.sign(Csrs.create(pushKeys, "CN=MDM Push,C=FR"));
        NSDictionary plist = (NSDictionary) PropertyListParser.parse(Base64.getDecoder().decode(b64));
        plist.put("PushCertRequestCSR", Base64.getEncoder().encodeToString(Csrs.create(KeyPairs.rsa(2048), "CN=Other,C=FR")));
        String forged = Base64.getEncoder().encodeToString(plist.toXMLPropertyList().getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> PushCsrSigner.verify(forged)).isInstanceOf(SignatureVerificationException.class);
        assertThatThrownBy(() -> PushCsrSigner.verify("bm90IGEgcGxpc3Q=")).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> signer.sign("garbage".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> new PushCsrSigner(KeyAndChain.of(pushKeys.getPrivate(), vendorCert)))
                .isInstanceOf(KeyMismatchException.class);
    }

    @Test
    void refusesWeakPushCsrKeys() throws Exception {
        PushCsrSigner signer = new PushCsrSigner(KeyAndChain.of(vendorKeys.getPrivate(), vendorCert));
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        byte[] weakCsr = Csrs.create(rsa.generateKeyPair(), "CN=MDM Push,C=FR");
        assertThatThrownBy(() -> signer.sign(weakCsr)).isInstanceOf(dev.orchardmdm.crypto.WeakKeyException.class)
                .hasMessageContaining("RSA key of 1024 bits");
        // a push.b64 whose (vendor-signed) CSR has a weak key is refused when read back
        String b64 = signer.sign(Csrs.create(pushKeys, "CN=MDM Push,C=FR"));
        NSDictionary plist = (NSDictionary) PropertyListParser.parse(Base64.getDecoder().decode(b64));
        java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA");
        s.initSign(vendorKeys.getPrivate());
        s.update(weakCsr);
        plist.put("PushCertRequestCSR", Base64.getEncoder().encodeToString(weakCsr));
        plist.put("PushCertSignature", Base64.getEncoder().encodeToString(s.sign()));
        String weak = Base64.getEncoder().encodeToString(plist.toXMLPropertyList().getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> PushCsrSigner.verify(weak)).isInstanceOf(dev.orchardmdm.crypto.WeakKeyException.class);
    }
}
