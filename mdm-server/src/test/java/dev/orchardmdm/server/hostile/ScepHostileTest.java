package dev.orchardmdm.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.testing.ScepTestClient;
import dev.orchardmdm.crypto.testing.ScepTestClient.CertRep;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.e2e.TestServer;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile SCEP clients against the embedded CA, through the real endpoint: wrong and reused
 * challenges, renewals with another subject, outside the window or with a superseded certificate,
 * weak keys. Each is refused with a signed CertRep FAILURE (SCEP's own refusal, HTTP 200 as RFC
 * 8894 requires) and issues nothing; a retry of a lost CertRep gets the same certificate.
 */
class ScepHostileTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir;
    static TestServer s;
    static X509Certificate ca;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start(DBS, DatabaseKind.SQLITE, dir, "");
        ca = s.context.identities().scepCa().certificate();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    /** The subject and challenge of a fresh enrollment profile's SCEP payload. */
    record Payload(String subject, String challenge) {
    }

    static Payload profile() throws Exception {
        byte[] signed = s.adminMdmProfile();
        var content = dev.orchardmdm.protocol.profile.ConfigurationProfile.parse(
                dev.orchardmdm.crypto.cms.SignedMessages.verify(signed, null, 1 << 20).content());
        PlistDict scep = content.payload("com.apple.security.scep").orElseThrow().requireDict("PayloadContent");
        StringBuilder subject = new StringBuilder();
        for (Object rdn : scep.array("Subject")) {
            List<?> pair = (List<?>) ((List<?>) rdn).get(0);
            subject.append(subject.length() == 0 ? "" : ",").append(pair.get(0)).append('=').append(pair.get(1));
        }
        return new Payload(subject.toString(), scep.requireString("Challenge"));
    }

    static CertRep post(byte[] message, java.security.PrivateKey key) throws Exception {
        HttpResponse<byte[]> r = s.http.send(HttpRequest.newBuilder(URI.create(s.baseUrl()
                        + "/public/mdm/scep?operation=PKIOperation")).header("Content-Type", "application/x-pki-message")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return ScepTestClient.read(r.body(), ca, key);
    }

    static CertRep pkcsReq(KeyPair keys, String subject, String challenge, String tx) throws Exception {
        X509Certificate self = new CertificateBuilder("CN=SCEP SIGNER", keys.getPublic()).selfSigned(keys.getPrivate());
        return post(ScepTestClient.request(19, ScepTestClient.csr(keys, subject, challenge), ca,
                CMSAlgorithm.DES_EDE3_CBC, self, keys.getPrivate(), "SHA1", tx, new byte[16]), keys.getPrivate());
    }

    static CertRep renewalReq(KeyAndChain current, KeyPair next, String subject, String tx) throws Exception {
        return post(ScepTestClient.request(17, ScepTestClient.csr(next, subject, null), ca, CMSAlgorithm.AES128_CBC,
                current.certificate(), current.privateKey(), "SHA256", tx, new byte[16]), current.privateKey());
    }

    static Map<String, Long> rows() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = s.context.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("enrolled_devices", "enrollment_sessions", "scep_issuances")) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    out.put(table, rs.getLong(1));
                }
            }
        }
        return out;
    }

    static void assertRefused(CertRep rep, String failInfo) {
        assertThat(rep.status()).isEqualTo("2");
        assertThat(rep.failInfo()).isEqualTo(failInfo);
        assertThat(rep.issued()).isNull();
    }

    /** An enrolled, authenticated device whose identity (issued by the server's CA) expires in {@code left}. */
    static DeviceSimulator authenticatedWithIdentityExpiringIn(Duration left) throws Exception {
        Payload p = profile();
        KeyPair keys = KeyPairs.rsa(2048);
        KeyAndChain caIdentity = s.context.identities().scepCa();
        Instant now = Instant.now();
        X509Certificate cert = new CertificateBuilder(p.subject(), keys.getPublic())
                .validity(now.minus(Duration.ofDays(365)).plus(left), now.plus(left))
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
                .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
                .issuedBy(caIdentity.certificate(), caIdentity.privateKey());
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl()).identity(KeyAndChain.of(keys.getPrivate(), cert));
        assertThat(d.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(d.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);
        return d;
    }

    @Test
    void wrongChallengeIssuesNothing() throws Exception {
        Payload p = profile();
        Map<String, Long> before = rows();
        assertRefused(pkcsReq(KeyPairs.rsa(2048), p.subject(), p.challenge() + "x", "TX-wrong"), "2");
        assertRefused(pkcsReq(KeyPairs.rsa(2048), p.subject(), null, "TX-none"), "2");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aChallengeIsSpentByItsFirstCertificate() throws Exception {
        Payload p = profile();
        KeyPair device = KeyPairs.rsa(2048);
        CertRep first = pkcsReq(device, p.subject(), p.challenge(), "TX-first");
        assertThat(first.status()).isEqualTo("0");
        Map<String, Long> before = rows();
        // an eavesdropper who learnt the challenge (it is in the profile) gets nothing more
        assertRefused(pkcsReq(KeyPairs.rsa(2048), p.subject(), p.challenge(), "TX-thief"), "2");
        // nor does the device itself, in a new transaction
        assertRefused(pkcsReq(device, p.subject(), p.challenge(), "TX-second"), "2");
        assertThat(rows()).isEqualTo(before);
        // a retry of the first transaction (the CertRep was lost) gets the very same certificate
        CertRep retry = pkcsReq(device, p.subject(), p.challenge(), "TX-first");
        assertThat(retry.status()).isEqualTo("0");
        assertThat(retry.issued()).isEqualTo(first.issued());
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void renewalWithAnotherSubjectIsRefused() throws Exception {
        DeviceSimulator d = authenticatedWithIdentityExpiringIn(Duration.ofDays(10));
        Payload other = profile();
        Map<String, Long> before = rows();
        assertRefused(renewalReq(d.identity(), KeyPairs.rsa(2048), other.subject(), "TX-other"), "2");
        assertRefused(renewalReq(d.identity(), KeyPairs.rsa(2048), "CN=Anything I like,O=Evil", "TX-any"), "2");
        assertThat(rows()).isEqualTo(before);
        assertThat(d.idle().status()).isEqualTo(200);
    }

    @Test
    void renewalOutsideTheWindowIsRefused() throws Exception {
        DeviceSimulator d = authenticatedWithIdentityExpiringIn(Duration.ofDays(200));
        String subject = d.identity().certificate().getSubjectX500Principal().getName();
        Map<String, Long> before = rows();
        assertRefused(renewalReq(d.identity(), KeyPairs.rsa(2048), subject, "TX-early"), "2");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void renewalMovesTheBindingAndTheOldCertificateIsNoLongerCurrent() throws Exception {
        DeviceSimulator d = authenticatedWithIdentityExpiringIn(Duration.ofDays(10));
        KeyAndChain old = d.identity();
        String subject = old.certificate().getSubjectX500Principal().getName();
        KeyPair next = KeyPairs.rsa(2048);
        CertRep renewed = renewalReq(old, next, subject, "TX-renew");
        assertThat(renewed.status()).isEqualTo("0");
        assertThat(renewed.issued().getSubjectX500Principal()).isEqualTo(old.certificate().getSubjectX500Principal());
        assertThat(renewed.issued().getNotAfter()).isAfter(old.certificate().getNotAfter());
        // the lost-CertRep retry gets the same certificate; a second renewal of the old one is refused
        assertThat(renewalReq(old, next, subject, "TX-renew").issued()).isEqualTo(renewed.issued());
        assertRefused(renewalReq(old, KeyPairs.rsa(2048), subject, "TX-again"), "2");
        // the new certificate is the device's identity now; the old one is refused
        assertThat(d.idle().status()).isEqualTo(403);
        d.identity(KeyAndChain.of(next.getPrivate(), renewed.issued()));
        assertThat(d.idle().status()).isEqualTo(200);
        assertThat(s.context.store().devices().findByUdid(d.udid()).orElseThrow().certFingerprint())
                .isEqualTo(Certificates.sha256Fingerprint(renewed.issued()));
    }

    @Test
    void renewalWithACertificateThatIsNotCurrentIsRefused() throws Exception {
        // a certificate that never authenticated (its session is not bound to it)
        Payload unbound = profile();
        KeyPair k = KeyPairs.rsa(2048);
        CertRep issued = pkcsReq(k, unbound.subject(), unbound.challenge(), "TX-unbound");
        assertThat(issued.status()).isEqualTo("0");
        Map<String, Long> before = rows();
        assertRefused(renewalReq(KeyAndChain.of(k.getPrivate(), issued.issued()), KeyPairs.rsa(2048),
                unbound.subject(), "TX-unbound-renew"), "2");
        assertThat(rows()).isEqualTo(before);
        // a blocked device's certificate
        DeviceSimulator blocked = authenticatedWithIdentityExpiringIn(Duration.ofDays(10));
        s.context.store().devices().block(s.context.store().devices().findByUdid(blocked.udid()).orElseThrow().id());
        // a certificate of a foreign CA with the same subject as a current one
        DeviceSimulator victim = authenticatedWithIdentityExpiringIn(Duration.ofDays(10));
        KeyAndChain forged = dev.orchardmdm.crypto.testing.TestPki.create("Foreign").issue(
                victim.identity().certificate().getSubjectX500Principal().getName(), KeyPairs.rsa(2048),
                Instant.now().minus(Duration.ofDays(300)), Instant.now().plus(Duration.ofDays(5)));
        before = rows();
        assertRefused(renewalReq(blocked.identity(), KeyPairs.rsa(2048),
                blocked.identity().certificate().getSubjectX500Principal().getName(), "TX-blocked"), "2");
        assertRefused(renewalReq(forged, KeyPairs.rsa(2048),
                victim.identity().certificate().getSubjectX500Principal().getName(), "TX-forged"), "2");
        assertThat(rows()).isEqualTo(before);
        assertThat(victim.idle().status()).isEqualTo(200);
    }

    @Test
    void weakCsrKeyIsRefusedWithBadAlg() throws Exception {
        Payload p = profile();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair weak = rsa.generateKeyPair();
        Map<String, Long> before = rows();
        assertRefused(pkcsReq(weak, p.subject(), p.challenge(), "TX-weak"), "0");
        assertThat(rows()).isEqualTo(before);
        // the challenge was not spent by the refused request
        assertThat(pkcsReq(KeyPairs.rsa(2048), p.subject(), p.challenge(), "TX-strong").status()).isEqualTo("0");
    }
}
