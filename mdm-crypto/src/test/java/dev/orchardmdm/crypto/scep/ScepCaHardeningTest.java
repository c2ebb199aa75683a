package dev.orchardmdm.crypto.scep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.WeakKeyException;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.testing.ScepTestClient;
import dev.orchardmdm.crypto.testing.ScepTestClient.CertRep;
import dev.orchardmdm.crypto.testing.TestPki;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Single-use challenges, retries, renewal rules and CSR key checks of the SCEP CA. */
class ScepCaHardeningTest {
    static final String CHALLENGE = "one-challenge";
    static TestPki pki;
    static final AtomicInteger TX = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        pki = TestPki.create("Hardened SCEP CA");
    }

    static ScepCa ca(Clock clock, RenewalPolicy renewal) throws Exception {
        return new ScepCa(pki.ca(), ChallengeChecker.staticChallenge(CHALLENGE),
                IssuancePolicy.deviceIdentity(Duration.ofDays(365)), clock, IssuanceLedger.inMemory(), renewal);
    }

    /** A device: a key and its self-signed SCEP signer. */
    record Device(KeyPair keys, X509Certificate selfSigned) {
        static Device create() {
            KeyPair k = KeyPairs.rsa(2048);
            return new Device(k, new CertificateBuilder("CN=SCEP SIGNER", k.getPublic()).selfSigned(k.getPrivate()));
        }
    }

    static CertRep pkcsReq(ScepCa ca, Device d, String subject, String challenge, String tx) throws Exception {
        byte[] req = ScepTestClient.request(19, ScepTestClient.csr(d.keys(), subject, challenge), pki.certificate(),
                CMSAlgorithm.AES128_CBC, d.selfSigned(), d.keys().getPrivate(), "SHA256", tx, new byte[16]);
        return ScepTestClient.read(ca.pkiOperation(req).body(), pki.certificate(), d.keys().getPrivate());
    }

    static CertRep renewalReq(ScepCa ca, KeyAndChain current, KeyPair next, String subject, String tx) throws Exception {
        byte[] req = ScepTestClient.request(17, ScepTestClient.csr(next, subject, null), pki.certificate(),
                CMSAlgorithm.AES128_CBC, current.certificate(), current.privateKey(), "SHA256", tx, new byte[16]);
        return ScepTestClient.read(ca.pkiOperation(req).body(), pki.certificate(), current.privateKey());
    }

    @Test
    void aChallengeAdmitsOneCertificatePerSubjectAndARetryGetsTheSameOne() throws Exception {
        ScepCa ca = ca(Clock.systemUTC(), RenewalPolicy.within(Duration.ofDays(30)));
        Device device = Device.create();
        CertRep first = pkcsReq(ca, device, "CN=MDM$OTA$session-one", CHALLENGE, "TX-1");
        assertThat(first.status()).isEqualTo("0");
        // the device lost the CertRep and retries the same transaction with the same key: the same certificate
        CertRep retry = pkcsReq(ca, device, "CN=MDM$OTA$session-one", CHALLENGE, "TX-1");
        assertThat(retry.status()).isEqualTo("0");
        assertThat(retry.issued()).isEqualTo(first.issued());
        // anyone else (another key, or another transaction) with the same challenge and subject: refused
        CertRep other = pkcsReq(ca, Device.create(), "CN=MDM$OTA$session-one", CHALLENGE, "TX-1");
        assertThat(other.status()).isEqualTo("2");
        assertThat(other.failInfo()).isEqualTo("2");
        assertThat(pkcsReq(ca, device, "CN=MDM$OTA$session-one", CHALLENGE, "TX-2").status()).isEqualTo("2");
        // a wrong challenge is refused, and does not spend the right one for another subject
        assertThat(pkcsReq(ca, Device.create(), "CN=MDM$OTA$session-two", "wrong", "TX-3").failInfo()).isEqualTo("2");
        assertThat(pkcsReq(ca, Device.create(), "CN=MDM$OTA$session-two", CHALLENGE, "TX-4").status()).isEqualTo("0");
    }

    @Test
    void concurrentUsesOfOneChallengeIssueOneCertificate() throws Exception {
        ScepCa ca = ca(Clock.systemUTC(), RenewalPolicy.within(Duration.ofDays(30)));
        Set<String> statuses = java.util.Collections.synchronizedSet(new HashSet<>());
        AtomicInteger issued = new AtomicInteger();
        Thread[] threads = new Thread[6];
        for (int i = 0; i < threads.length; i++) {
            int n = i;
            threads[i] = new Thread(() -> {
                try {
                    CertRep r = pkcsReq(ca, Device.create(), "CN=MDM$DEP$race", CHALLENGE, "TX-race-" + n);
                    statuses.add(r.status());
                    if ("0".equals(r.status())) {
                        issued.incrementAndGet();
                    }
                } catch (Exception e) {
                    statuses.add(e.toString());
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(issued.get()).isEqualTo(1);
        assertThat(statuses).containsExactlyInAnyOrder("0", "2");
    }

    @Test
    void renewalKeepsTheSubjectOnlyInTheWindowOncePerCertificate() throws Exception {
        Instant now = Instant.now();
        KeyPair oldKeys = KeyPairs.rsa(2048);
        KeyAndChain current = pki.issue("CN=MDM$DEP$renewing,O=Orchard", oldKeys, now.minus(Duration.ofDays(300)),
                now.plus(Duration.ofDays(65)));
        KeyPair next = KeyPairs.rsa(2048);
        // 65 days before expiry, with a 30-day window: too early
        ScepCa early = ca(Clock.fixed(now, ZoneOffset.UTC), RenewalPolicy.within(Duration.ofDays(30)));
        CertRep tooEarly = renewalReq(early, current, next, "CN=MDM$DEP$renewing,O=Orchard", "TX-R0");
        assertThat(tooEarly.status()).isEqualTo("2");
        assertThat(tooEarly.failInfo()).isEqualTo("2");

        // 40 days later: in the window
        ScepCa ca = ca(Clock.fixed(now.plus(Duration.ofDays(40)), ZoneOffset.UTC),
                RenewalPolicy.within(Duration.ofDays(30)));
        // another subject: refused (it used to be copied from the CSR)
        CertRep otherSubject = renewalReq(ca, current, next, "CN=MDM$DEP$someone-else,O=Orchard", "TX-R1");
        assertThat(otherSubject.status()).isEqualTo("2");
        assertThat(otherSubject.issued()).isNull();

        CertRep renewed = renewalReq(ca, current, next, "CN=MDM$DEP$renewing,O=Orchard", "TX-R2");
        assertThat(renewed.status()).isEqualTo("0");
        assertThat(renewed.issued().getSubjectX500Principal()).isEqualTo(current.certificate().getSubjectX500Principal());
        assertThat(renewed.issued().getPublicKey()).isEqualTo(next.getPublic());
        // the same transaction again (lost CertRep): the same certificate; a second renewal: refused
        assertThat(renewalReq(ca, current, next, "CN=MDM$DEP$renewing,O=Orchard", "TX-R2").issued())
                .isEqualTo(renewed.issued());
        assertThat(renewalReq(ca, current, KeyPairs.rsa(2048), "CN=MDM$DEP$renewing,O=Orchard", "TX-R3").status())
                .isEqualTo("2");
    }

    @Test
    void renewalOfACertificateThatIsNotCurrentIsRefused() throws Exception {
        Instant now = Instant.now();
        KeyAndChain superseded = pki.issue("CN=MDM$OTA$superseded", KeyPairs.rsa(2048), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(5)));
        ScepCa ca = ca(Clock.systemUTC(), new RenewalPolicy(Duration.ofDays(30),
                c -> !c.equals(superseded.certificate())));
        CertRep r = renewalReq(ca, superseded, KeyPairs.rsa(2048), "CN=MDM$OTA$superseded", "TX-S1");
        assertThat(r.status()).isEqualTo("2");
        assertThat(r.issued()).isNull();
        // renewal disabled altogether
        ScepCa none = ca(Clock.systemUTC(), RenewalPolicy.disabled());
        KeyAndChain other = pki.issue("CN=MDM$OTA$other", KeyPairs.rsa(2048), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(5)));
        assertThat(renewalReq(none, other, KeyPairs.rsa(2048), "CN=MDM$OTA$other", "TX-S2").status()).isEqualTo("2");
    }

    @Test
    void weakCsrKeysAreRefusedWithBadAlg() throws Exception {
        ScepCa ca = ca(Clock.systemUTC(), RenewalPolicy.within(Duration.ofDays(30)));
        Device signer = Device.create();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair weak = rsa.generateKeyPair();
        byte[] req = ScepTestClient.request(19, ScepTestClient.csr(weak, "CN=weak", CHALLENGE), pki.certificate(),
                CMSAlgorithm.AES128_CBC, signer.selfSigned(), signer.keys().getPrivate(), "SHA256", "TX-W",
                new byte[16]);
        ScepResponse response = ca.pkiOperation(req);
        CertRep rep = ScepTestClient.read(response.body(), pki.certificate(), signer.keys().getPrivate());
        assertThat(rep.status()).isEqualTo("2");
        assertThat(rep.failInfo()).isEqualTo("0");
        assertThat(response.failure()).contains("RSA key of 1024 bits");
    }

    @Test
    void csrKeyCheckAcceptsRsa2048AndP256P384Only() throws Exception {
        Csrs.requireAcceptableKey(KeyPairs.rsa(2048).getPublic());
        Csrs.requireAcceptableKey(KeyPairs.ec("secp256r1").getPublic());
        Csrs.requireAcceptableKey(KeyPairs.ec("secp384r1").getPublic());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        assertThatThrownBy(() -> Csrs.requireAcceptableKey(rsa.generateKeyPair().getPublic()))
                .isInstanceOf(WeakKeyException.class).hasMessageContaining("1024 bits");
        assertThatThrownBy(() -> Csrs.requireAcceptableKey(KeyPairs.ec("secp521r1").getPublic()))
                .isInstanceOf(WeakKeyException.class).hasMessageContaining("P-256/P-384");
        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(2048);
        assertThatThrownBy(() -> Csrs.requireAcceptableKey(dsa.generateKeyPair().getPublic()))
                .isInstanceOf(WeakKeyException.class).hasMessageContaining("DSA key");
    }
}
