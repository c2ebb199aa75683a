package dev.orchardmdm.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.CertificateValidityException;
import dev.orchardmdm.crypto.SignatureVerificationException;
import dev.orchardmdm.crypto.UntrustedCertificateException;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.crypto.testing.TestPki.SignatureStyle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The remembered chain checks of {@link DeviceIdentityVerifier} never accept what a verifier
 * without them refuses: the body signature is still checked on every request, a remembered
 * certificate expires on time, and a certificate that needed an intermediate from the message is
 * not remembered.
 */
class VerifiedCertificateCacheTest {
    static final byte[] BODY = TestPki.utf8("<plist version=\"1.0\"><dict><key>UDID</key><string>A</string>"
            + "<key>Status</key><string>Idle</string></dict></plist>");
    static TestPki pki;
    static KeyAndChain device;

    @BeforeAll
    static void setUp() {
        pki = TestPki.createWithIntermediate("Orchard SCEP CA");
        device = pki.issueDevice("MDM$OTA$cachecachecachecache", "MBU$1", null);
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theSignatureIsCheckedOnEveryRequestOfARememberedCertificate() throws Exception {
        DeviceIdentityVerifier verifier = new DeviceIdentityVerifier(pki.chain());
        String signature = TestPki.mdmSignature(BODY, device, SignatureStyle.DEVICE);
        Identity first = verifier.fromMdmSignature(signature, BODY);
        assertThat(verifier.fromMdmSignature(signature, BODY)).isEqualTo(first);
        byte[] other = TestPki.utf8("<plist version=\"1.0\"><dict><key>UDID</key><string>B</string></dict></plist>");
        assertThatThrownBy(() -> verifier.fromMdmSignature(signature, other))
                .isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void aRememberedCertificateExpiresOnTime() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        DeviceIdentityVerifier verifier = new DeviceIdentityVerifier(pki.chain(), Duration.ofMinutes(5), clock);
        String signature = TestPki.mdmSignature(BODY, device, SignatureStyle.MODERN);
        assertThat(verifier.fromMdmSignature(signature, BODY).commonName()).isEqualTo("MDM$OTA$cachecachecachecache");
        clock.now = device.certificate().getNotAfter().toInstant().plus(Duration.ofMinutes(6));
        assertThatThrownBy(() -> verifier.fromMdmSignature(signature, BODY))
                .isInstanceOf(CertificateValidityException.class);
        // and the uncached verifier refuses it the same way
        DeviceIdentityVerifier uncached = new DeviceIdentityVerifier(pki.chain(), Duration.ofMinutes(5), clock, 0);
        assertThatThrownBy(() -> uncached.fromMdmSignature(signature, BODY))
                .isInstanceOf(CertificateValidityException.class);
    }

    @Test
    void aCertificateThatNeededAnIntermediateFromTheMessageIsNotRemembered() throws Exception {
        // only the root is trusted: the message's intermediate completes the chain
        DeviceIdentityVerifier verifier = new DeviceIdentityVerifier(List.of(pki.chain().get(1)));
        assertThat(verifier.fromCertificate(device.certificate(), List.of(pki.chain().get(0))).commonName())
                .isEqualTo("MDM$OTA$cachecachecachecache");
        assertThatThrownBy(() -> verifier.fromCertificate(device.certificate(), List.of()))
                .isInstanceOf(UntrustedCertificateException.class);
    }

    @Test
    void theCacheIsBoundedAndKeepsAnsweringCorrectly() throws Exception {
        DeviceIdentityVerifier verifier = new DeviceIdentityVerifier(pki.chain(), Duration.ofMinutes(5),
                Clock.systemUTC(), 2);
        List<KeyAndChain> devices = List.of(device, pki.issueDevice("MDM$OTA$secondsecondsecond", null, null),
                pki.issueDevice("MDM$OTA$thirdthirdthirdthird", null, null));
        for (int round = 0; round < 3; round++) {
            for (KeyAndChain d : devices) {
                assertThat(verifier.fromCertificate(d.certificate(), List.of()).certificate())
                        .isEqualTo(d.certificate());
            }
        }
        TestPki foreign = TestPki.create("Foreign CA");
        KeyAndChain stranger = foreign.issueDevice("MDM$OTA$cachecachecachecache", "MBU$1", null);
        assertThatThrownBy(() -> verifier.fromCertificate(stranger.certificate(), List.of()))
                .isInstanceOf(UntrustedCertificateException.class);
    }
}
