package dev.orchardmdm.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.SignatureVerificationException;
import dev.orchardmdm.crypto.UntrustedCertificateException;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.ChainVerifier;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.push.AppleCertificates;
import dev.orchardmdm.crypto.testing.TestPki;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AppleAttestationVerifierTest {
    static final byte[] MACHINE_INFO = TestPki.utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict>"
            + "<key>UDID</key><string>00008103-000A1B2C3D4E5F6A</string><key>SERIAL</key><string>C02XYZ123ABC</string>"
            + "<key>PRODUCT</key><string>MacBookPro18,3</string></dict></plist>");
    static List<X509Certificate> appleLike;
    static KeyAndChain device;
    /** A developer certificate: issued by a sibling CA under the same root, as Apple's WWDR CA is. */
    static KeyAndChain developer;
    static KeyPair rootKeys;
    static X509Certificate root;

    /**
     * A chain shaped like Apple's: root, expired "iPhone Certification Authority", expired "Device
     * CA", a current device certificate; and a developer CA under the same root.
     */
    @BeforeAll
    static void appleShapedChain() {
        rootKeys = KeyPairs.rsa(2048);
        root = new CertificateBuilder("CN=Test Root CA,OU=Test Certification Authority,O=Test Inc.,C=US",
                rootKeys.getPublic()).validity(Instant.parse("2006-04-25T21:40:36Z"), Instant.parse("2035-02-09T21:40:36Z"))
                .ca(null).digest("SHA1").selfSigned(rootKeys.getPrivate());
        KeyPair midKeys = KeyPairs.rsa(2048);
        X509Certificate mid = new CertificateBuilder("CN=Test iPhone Certification Authority,O=Test Inc.,C=US",
                midKeys.getPublic()).validity(Instant.parse("2007-04-12T17:43:28Z"), Instant.parse("2022-04-12T17:43:28Z"))
                .ca(null).digest("SHA1").issuedBy(root, rootKeys.getPrivate());
        KeyPair caKeys = KeyPairs.rsa(2048);
        X509Certificate deviceCa = new CertificateBuilder("CN=Test iPhone Device CA,OU=Test iPhone,O=Test Inc.,C=US",
                caKeys.getPublic()).validity(Instant.parse("2007-04-16T22:54:46Z"), Instant.parse("2014-04-16T22:54:46Z"))
                .ca(0).digest("SHA1").issuedBy(mid, midKeys.getPrivate());
        KeyPair devKeys = KeyPairs.rsa(2048);
        X509Certificate dev = new CertificateBuilder("CN=00008103-000A1B2C3D4E5F6A", devKeys.getPublic())
                .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().plus(Duration.ofDays(3650)))
                .digest("SHA1").issuedBy(deviceCa, caKeys.getPrivate());
        appleLike = List.of(deviceCa, mid, root);
        device = new KeyAndChain(devKeys.getPrivate(), List.of(dev, deviceCa, mid));
        KeyPair wwdrKeys = KeyPairs.rsa(2048);
        X509Certificate wwdr = new CertificateBuilder("CN=Test Worldwide Developer Relations CA,O=Test Inc.,C=US",
                wwdrKeys.getPublic()).validFor(Duration.ofDays(3650)).ca(0).issuedBy(root, rootKeys.getPrivate());
        KeyPair developerKeys = KeyPairs.rsa(2048);
        X509Certificate dev2 = new CertificateBuilder("CN=Apple Development: Mallory", developerKeys.getPublic())
                .validFor(Duration.ofDays(365)).issuedBy(wwdr, wwdrKeys.getPrivate());
        developer = new KeyAndChain(developerKeys.getPrivate(), List.of(dev2, wwdr));
    }


    static byte[] sign(byte[] content, KeyAndChain signer) throws Exception {
        return new ProfileSigner(signer).sign(content);
    }

    @Test
    void returnsThePlistSignedByADeviceUnderTheExpiredChain() throws Exception {
        AppleAttestationVerifier verifier = new AppleAttestationVerifier(appleLike);
        AppleAttestationVerifier.Attestation a = verifier.verify(sign(MACHINE_INFO, device));
        assertThat(a.plist()).isEqualTo(MACHINE_INFO);
        assertThat(a.signer()).isEqualTo(device.certificate());
    }

    @Test
    void onlyTheDeviceCaIsAnAnchorNotTheRoot() throws Exception {
        AppleAttestationVerifier verifier = new AppleAttestationVerifier(appleLike);
        // a developer certificate chains to the same root, but was not issued by the device CA
        assertThatThrownBy(() -> verifier.verify(sign(MACHINE_INFO, developer)))
                .isInstanceOf(UntrustedCertificateException.class).hasMessageContaining("not issued by");
        // a configured root alone trusts nothing: the device CA must come first
        assertThatThrownBy(() -> new AppleAttestationVerifier(List.of(device.certificate())))
                .isInstanceOf(IllegalArgumentException.class);
        // a certificate named like the device CA but signed by another key
        KeyPair fakeKeys = KeyPairs.rsa(2048);
        X509Certificate fakeCa = new CertificateBuilder(org.bouncycastle.asn1.x500.X500Name.getInstance(
                appleLike.get(0).getSubjectX500Principal().getEncoded()),
                fakeKeys.getPublic()).validFor(Duration.ofDays(30)).ca(0).selfSigned(fakeKeys.getPrivate());
        KeyPair leafKeys = KeyPairs.rsa(2048);
        X509Certificate forged = new CertificateBuilder("CN=forged device", leafKeys.getPublic())
                .validFor(Duration.ofDays(30)).issuedBy(fakeCa, fakeKeys.getPrivate());
        assertThatThrownBy(() -> verifier.verify(sign(MACHINE_INFO, new KeyAndChain(leafKeys.getPrivate(),
                List.of(forged, fakeCa))))).isInstanceOf(UntrustedCertificateException.class)
                .hasMessageContaining("not signed by");
        // the device CA itself cannot sign attestations
        assertThatThrownBy(() -> new AppleAttestationVerifier(List.of(root)).verify(sign(MACHINE_INFO,
                new KeyAndChain(rootKeys.getPrivate(), List.of(root))))).isInstanceOf(UntrustedCertificateException.class)
                .hasMessageContaining("is a CA");
    }

    @Test
    void theSignerMustBeValidNowWithinTheSkew() throws Exception {
        byte[] signed = sign(MACHINE_INFO, device);
        Instant notAfter = device.certificate().getNotAfter().toInstant();
        Instant notBefore = device.certificate().getNotBefore().toInstant();
        java.time.ZoneId utc = java.time.ZoneOffset.UTC;
        assertThatThrownBy(() -> new AppleAttestationVerifier(appleLike,
                java.time.Clock.fixed(notAfter.plus(Duration.ofMinutes(6)), utc)).verify(signed))
                .isInstanceOf(dev.orchardmdm.crypto.CertificateValidityException.class);
        assertThatThrownBy(() -> new AppleAttestationVerifier(appleLike,
                java.time.Clock.fixed(notBefore.minus(Duration.ofMinutes(6)), utc)).verify(signed))
                .isInstanceOf(dev.orchardmdm.crypto.CertificateValidityException.class);
        // within the five-minute skew on either end
        assertThat(new AppleAttestationVerifier(appleLike, java.time.Clock.fixed(notAfter.plus(Duration.ofMinutes(4)),
                utc)).verify(signed).plist()).isEqualTo(MACHINE_INFO);
        assertThat(new AppleAttestationVerifier(appleLike, java.time.Clock.fixed(notBefore.minus(Duration.ofMinutes(4)),
                utc)).verify(signed).plist()).isEqualTo(MACHINE_INFO);
    }

    @Test
    void rejectsForeignSignersDetachedAndGarbage() throws Exception {
        AppleAttestationVerifier verifier = new AppleAttestationVerifier(appleLike);
        TestPki other = TestPki.create("Not Apple");
        KeyAndChain stranger = other.issue("CN=fake device", KeyPairs.rsa(2048), Instant.now().minusSeconds(5),
                Instant.now().plus(Duration.ofDays(1)));
        assertThatThrownBy(() -> verifier.verify(sign(MACHINE_INFO, stranger)))
                .isInstanceOf(UntrustedCertificateException.class);
        byte[] detached = TestPki.detachedSignature(MACHINE_INFO, device, TestPki.SignatureStyle.MODERN);
        assertThatThrownBy(() -> verifier.verify(detached)).isInstanceOf(MalformedDataException.class);
        byte[] signed = sign(MACHINE_INFO, device);
        int at = indexOf(signed, TestPki.utf8("C02XYZ123ABC"));
        signed[at] = 'D';
        assertThatThrownBy(() -> verifier.verify(signed)).isInstanceOf(SignatureVerificationException.class);
        assertThatThrownBy(() -> verifier.verify(MACHINE_INFO)).isInstanceOf(MalformedDataException.class);
        // the real Apple chain does not trust the test device
        assertThatThrownBy(() -> AppleAttestationVerifier.withBundledAppleChain().verify(sign(MACHINE_INFO, device)))
                .isInstanceOf(UntrustedCertificateException.class);
    }

    @Test
    void bundledAppleChainLoadsAndItsSignaturesHoldWithoutTheTimeCheck() throws Exception {
        List<X509Certificate> apple = AppleCertificates.iPhoneDeviceCaChain();
        assertThat(apple.get(0).getSubjectX500Principal().getName()).contains("CN=Apple iPhone Device CA");
        assertThat(apple.get(2)).isEqualTo(AppleCertificates.appleRootCa());
        ChainVerifier rootOnly = new ChainVerifier(List.of(AppleCertificates.appleRootCa()));
        assertThat(rootOnly.verify(apple.get(0), apple, ChainVerifier.ValidityCheck.NONE)).hasSize(3);
        assertThatThrownBy(() -> rootOnly.verify(apple.get(0), apple, Instant.now(), Duration.ZERO))
                .isInstanceOf(dev.orchardmdm.crypto.CertificateValidityException.class);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
