package dev.orchardmdm.crypto.scep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.WrongContentTypeException;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.ChainVerifier;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.Openssl;
import dev.orchardmdm.crypto.testing.ScepTestClient;
import dev.orchardmdm.crypto.testing.ScepTestClient.CertRep;
import dev.orchardmdm.crypto.testing.TestPki;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScepCaTest {
    static final String CHALLENGE = "s3cret-challenge";
    static TestPki pki;
    static ScepCa ca;
    static KeyPair client;
    static X509Certificate selfSigned;
    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        pki = TestPki.create("Orchard SCEP CA");
        ca = new ScepCa(pki.ca(), ChallengeChecker.staticChallenge(CHALLENGE),
                IssuancePolicy.deviceIdentity(Duration.ofDays(365)), Clock.systemUTC());
        client = KeyPairs.rsa(2048);
        selfSigned = new CertificateBuilder("CN=SCEP SIGNER,O=device", client.getPublic()).selfSigned(client.getPrivate());
    }

    static byte[] nonce(int seed) {
        byte[] n = new byte[16];
        n[0] = (byte) seed;
        n[15] = 7;
        return n;
    }

    CertRep enroll(byte[] csr, ASN1ObjectIdentifier cipher, String digest) throws Exception {
        byte[] req = ScepTestClient.request(19, csr, pki.certificate(), cipher, selfSigned, client.getPrivate(), digest,
                "TX-" + digest, nonce(3));
        ScepResponse resp = ca.handle("PKIOperation", null, req);
        assertThat(resp.contentType()).isEqualTo("application/x-pki-message");
        return ScepTestClient.read(resp.body(), pki.certificate(), client.getPrivate());
    }

    @Test
    void capsAndCaCert() throws Exception {
        ScepResponse caps = ca.handle("GetCACaps", null, null);
        assertThat(caps.contentType()).isEqualTo("text/plain");
        assertThat(new String(caps.body(), StandardCharsets.US_ASCII).split("\n"))
                .contains("POSTPKIOperation", "SHA-256", "AES", "DES3", "Renewal", "SCEPStandard");
        ScepResponse cert = ca.handle("GetCACert", null, null);
        assertThat(cert.contentType()).isEqualTo("application/x-x509-ca-cert");
        assertThat(Certificates.parseDer(cert.body())).isEqualTo(pki.certificate());

        KeyAndChain fresh = ScepCa.newCaIdentity("Orchard SCEP CA", Duration.ofDays(3650));
        assertThat(fresh.certificate().getBasicConstraints()).isZero();
        assertThat(fresh.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Orchard SCEP CA");
        assertThat(new ScepCa(fresh, ChallengeChecker.staticChallenge("x"), IssuancePolicy.deviceIdentity(Duration.ofDays(1)),
                Clock.systemUTC()).getCaCert().body()).isEqualTo(fresh.certificate().getEncoded());
        TestPki two = TestPki.createWithIntermediate("Two-level");
        ScepCa chained = new ScepCa(two.ca(), ChallengeChecker.staticChallenge("x"),
                IssuancePolicy.deviceIdentity(Duration.ofDays(1)), Clock.systemUTC());
        ScepResponse ra = chained.getCaCert();
        assertThat(ra.contentType()).isEqualTo("application/x-x509-ca-ra-cert");
        assertThat(new CMSSignedData(ra.body()).getCertificates().getMatches(null)).hasSize(2);
    }

    @Test
    void issuesForEveryCipherAndDigestClientsUse() throws Exception {
        Object[][] cases = {
            {CMSAlgorithm.DES_CBC, "SHA1", "1.3.14.3.2.26"},
            {CMSAlgorithm.DES_EDE3_CBC, "SHA1", "1.3.14.3.2.26"},
            {CMSAlgorithm.AES128_CBC, "SHA256", "2.16.840.1.101.3.4.2.1"},
            {CMSAlgorithm.AES256_CBC, "SHA512", "2.16.840.1.101.3.4.2.3"},
        };
        for (Object[] c : cases) {
            // one subject per case: a challenge admits one certificate per subject
            byte[] csr = ScepTestClient.csr(client, "CN=MDM$OTA$abc" + c[0] + ",O=MBU$1", CHALLENGE);
            CertRep rep = enroll(csr, (ASN1ObjectIdentifier) c[0], (String) c[1]);
            assertThat(rep.status()).as("%s", c[0]).isEqualTo("0");
            assertThat(rep.transactionId()).isEqualTo("TX-" + c[1]);
            assertThat(rep.recipientNonce()).isEqualTo(nonce(3));
            assertThat(rep.digestOid()).isEqualTo(c[2]);
            X509Certificate issued = rep.issued();
            assertThat(issued.getPublicKey()).isEqualTo(client.getPublic());
            assertThat(issued.getSubjectX500Principal().getName()).isEqualTo("O=MBU$1,CN=MDM$OTA$abc" + c[0]);
            assertThat(issued.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
            new ChainVerifier(pki.chain()).verify(issued, List.of(), Instant.now(), Duration.ZERO);
        }
    }

    @Test
    void failuresCarryTheRightFailInfo() throws Exception {
        assertThat(enroll(ScepTestClient.csr(client, "CN=dev", "wrong"), CMSAlgorithm.AES128_CBC, "SHA256").failInfo())
                .isEqualTo("2");
        CertRep noChallenge = enroll(ScepTestClient.csr(client, "CN=dev", null), CMSAlgorithm.DES_EDE3_CBC, "SHA1");
        assertThat(noChallenge.status()).isEqualTo("2");
        assertThat(noChallenge.failInfo()).isEqualTo("2");
        assertThat(enroll(ScepTestClient.csr(client, "O=no common name", CHALLENGE), CMSAlgorithm.AES128_CBC, "SHA256")
                .failInfo()).isEqualTo("2");

        // signed by a key that is not the one of the enclosed certificate: badMessageCheck
        KeyPair other = KeyPairs.rsa(2048);
        byte[] forged = ScepTestClient.request(19, ScepTestClient.csr(client, "CN=dev", CHALLENGE), pki.certificate(),
                CMSAlgorithm.AES128_CBC, selfSigned, other.getPrivate(), "SHA256", "TX-F", nonce(4));
        CertRep rep = ScepTestClient.read(ca.pkiOperation(forged).body(), pki.certificate(), client.getPrivate());
        assertThat(rep.status()).isEqualTo("2");
        assertThat(rep.failInfo()).isEqualTo("1");
        assertThat(rep.transactionId()).isEqualTo("TX-F");

        // encrypted to another CA: badMessageCheck
        TestPki foreign = TestPki.create("Foreign SCEP CA");
        byte[] elsewhere = ScepTestClient.request(19, ScepTestClient.csr(client, "CN=dev", CHALLENGE), foreign.certificate(),
                CMSAlgorithm.AES128_CBC, selfSigned, client.getPrivate(), "SHA256", "TX-E", nonce(5));
        assertThat(ScepTestClient.read(ca.pkiOperation(elsewhere).body(), pki.certificate(), client.getPrivate()).failInfo())
                .isEqualTo("1");

        // GetCertInitial (we never answer PENDING): badRequest
        byte[] poll = ScepTestClient.request(20, ScepTestClient.csr(client, "CN=dev", CHALLENGE), pki.certificate(),
                CMSAlgorithm.AES128_CBC, selfSigned, client.getPrivate(), "SHA256", "TX-P", nonce(6));
        assertThat(ScepTestClient.read(ca.pkiOperation(poll).body(), pki.certificate(), client.getPrivate()).failInfo())
                .isEqualTo("2");
    }

    @Test
    void issuancePolicyDecidesSubjectValidityAndUsages() throws Exception {
        ScepCa custom = new ScepCa(pki.ca(), (challenge, request) -> "one-time-42".equals(challenge)
                && request.subject().toString().startsWith("CN=MDM$"),
                request -> new IssuancePolicy.Issuance(new org.bouncycastle.asn1.x500.X500Name("CN=rewritten,O=Orchard"),
                        Duration.ofDays(30), org.bouncycastle.asn1.x509.KeyUsage.digitalSignature, List.of()),
                Clock.systemUTC());
        byte[] req = ScepTestClient.request(19, ScepTestClient.csr(client, "CN=MDM$OTA$x", "one-time-42"), pki.certificate(),
                CMSAlgorithm.AES256_CBC, selfSigned, client.getPrivate(), "SHA256", "TX-C", nonce(12));
        X509Certificate issued = ScepTestClient.read(custom.pkiOperation(req).body(), pki.certificate(), client.getPrivate())
                .issued();
        assertThat(issued.getSubjectX500Principal().getName()).isEqualTo("O=Orchard,CN=rewritten");
        assertThat(Duration.between(issued.getNotBefore().toInstant(), issued.getNotAfter().toInstant()).toDays())
                .isEqualTo(30);
        assertThat(issued.getKeyUsage()[0]).isTrue();
        assertThat(issued.getKeyUsage()[2]).isFalse();
        assertThat(issued.getExtendedKeyUsage()).isNull();
        IssuancePolicy configured = IssuancePolicy.deviceIdentity(Duration.ofDays(7),
                org.bouncycastle.asn1.x509.KeyUsage.digitalSignature,
                List.of(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth, org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_emailProtection));
        ScepCa withConfigured = new ScepCa(pki.ca(), ChallengeChecker.staticChallenge(CHALLENGE), configured, Clock.systemUTC());
        byte[] req2 = ScepTestClient.request(19, ScepTestClient.csr(client, "CN=dev7", CHALLENGE), pki.certificate(),
                CMSAlgorithm.AES128_CBC, selfSigned, client.getPrivate(), "SHA256", "TX-7", nonce(13));
        X509Certificate seven = ScepTestClient.read(withConfigured.pkiOperation(req2).body(), pki.certificate(),
                client.getPrivate()).issued();
        assertThat(seven.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.4");
    }

    @Test
    void renewalNeedsACurrentCertificateOfThisCa() throws Exception {
        KeyPair next = KeyPairs.rsa(2048);
        KeyAndChain current = pki.issue("CN=MDM$RE$abc,O=MBU$1", client, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(10)));
        byte[] renewal = ScepTestClient.request(17, ScepTestClient.csr(next, "CN=MDM$RE$abc,O=MBU$1", null),
                pki.certificate(), CMSAlgorithm.DES_EDE3_CBC, current.certificate(), client.getPrivate(), "SHA1", "TX-R",
                nonce(8));
        ScepResponse ok = ca.pkiOperation(renewal);
        CertRep rep = ScepTestClient.read(ok.body(), pki.certificate(), client.getPrivate());
        assertThat(rep.status()).isEqualTo("0");
        assertThat(rep.issued().getPublicKey()).isEqualTo(next.getPublic());
        assertThat(ok.issued()).isEqualTo(rep.issued());

        byte[] selfRenewal = ScepTestClient.request(17, ScepTestClient.csr(next, "CN=x", null), pki.certificate(),
                CMSAlgorithm.AES128_CBC, selfSigned, client.getPrivate(), "SHA256", "TX-S", nonce(9));
        assertThat(ScepTestClient.read(ca.pkiOperation(selfRenewal).body(), pki.certificate(), client.getPrivate()).failInfo())
                .isEqualTo("2");
        KeyAndChain expired = pki.issue("CN=MDM$RE$old", client, Instant.now().minus(Duration.ofDays(20)),
                Instant.now().minus(Duration.ofDays(1)));
        byte[] late = ScepTestClient.request(17, ScepTestClient.csr(next, "CN=x", null), pki.certificate(),
                CMSAlgorithm.AES128_CBC, expired.certificate(), client.getPrivate(), "SHA256", "TX-L", nonce(10));
        assertThat(ScepTestClient.read(ca.pkiOperation(late).body(), pki.certificate(), client.getPrivate()).failInfo())
                .isEqualTo("2");
    }

    @Test
    void garbageIsRejectedWithTypedExceptions() throws Exception {
        assertThatThrownBy(() -> ca.handle("Nope", null, null)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> ca.handle("PKIOperation", null, null)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> ca.handle("PKIOperation", "!!!", null)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> ca.pkiOperation(new byte[] {0x30, (byte) 0x82, 0x10})).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> ca.pkiOperation(pki.certificate().getEncoded())).isInstanceOf(MalformedDataException.class);
        byte[] good = ScepTestClient.request(19, ScepTestClient.csr(client, "CN=dev", CHALLENGE), pki.certificate(),
                CMSAlgorithm.AES128_CBC, selfSigned, client.getPrivate(), "SHA256", "TX-G", nonce(11));
        assertThatThrownBy(() -> ca.pkiOperation(java.util.Arrays.copyOf(good, good.length / 2)))
                .isInstanceOf(MalformedDataException.class);
        byte[] enveloped = new org.bouncycastle.cms.CMSSignedData(good).getSignedContent().getContent() instanceof byte[] b ? b : null;
        assertThatThrownBy(() -> ca.pkiOperation(enveloped)).isInstanceOf(WrongContentTypeException.class);
        // GET form: base64 in the message parameter
        ScepResponse viaGet = ca.handle("PKIOperation", Base64.getEncoder().encodeToString(good), null);
        assertThat(ScepTestClient.read(viaGet.body(), pki.certificate(), client.getPrivate()).status()).isEqualTo("0");
    }

    @Test
    void scepclientEnrollsAndOpensslVerifiesTheCertificate() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/scep", exchange -> {
            try (exchange) {
                Map<String, String> query = new HashMap<>();
                String raw = exchange.getRequestURI().getRawQuery();
                if (raw != null) {
                    for (String pair : raw.split("&")) {
                        int eq = pair.indexOf('=');
                        if (eq > 0) {
                            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                        }
                    }
                }
                byte[] body = exchange.getRequestMethod().equals("POST") ? exchange.getRequestBody().readNBytes(ScepCa.MAX_MESSAGE) : null;
                ScepResponse resp;
                try {
                    resp = ca.handle(query.get("operation"), query.get("message"), body);
                } catch (Exception e) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", resp.contentType());
                exchange.sendResponseHeaders(200, resp.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(resp.body());
                }
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/scep";
            Openssl.Result r = Openssl.exec(dir, List.of("scepclient", "-server-url", url, "-challenge", CHALLENGE,
                    "-private-key", dir.resolve("device.key").toString(), "-certificate", dir.resolve("device.pem").toString(),
                    "-cn", "MDM$OTA$scepclient", "-organization", "MBU$1", "-keySize", "2048"));
            assertThat(r.exitCode()).as(r.stderr() + r.out()).isZero();
            Files.writeString(dir.resolve("ca.pem"), Pem.certificate(pki.certificate()));
            String verify = new String(Openssl.ok(dir, "verify", "-CAfile", "ca.pem", "device.pem"), StandardCharsets.UTF_8);
            assertThat(verify).contains("device.pem: OK");
            X509Certificate issued = Certificates.parse(Files.readAllBytes(dir.resolve("device.pem")));
            assertThat(Certificates.subjectAttribute(issued, dev.orchardmdm.crypto.keys.NameAttribute.CN))
                    .isEqualTo("MDM$OTA$scepclient");

            // scepclient keeps its CSR (with the challenge) in csr.pem of its working directory: use another one
            Path second = Files.createDirectory(dir.resolve("second"));
            Openssl.Result refused = Openssl.exec(second, List.of("scepclient", "-server-url", url, "-challenge", "wrong",
                    "-private-key", second.resolve("d2.key").toString(), "-certificate", second.resolve("d2.pem").toString(),
                    "-cn", "MDM$OTA$refused", "-keySize", "2048"));
            // scepclient reports the CertRep FAILURE and writes no certificate
            assertThat(refused.stderr() + refused.out()).as("scepclient output").containsIgnoringCase("badRequest");
            assertThat(Files.exists(second.resolve("d2.pem"))).isFalse();
        } finally {
            server.stop(0);
        }
    }
}
