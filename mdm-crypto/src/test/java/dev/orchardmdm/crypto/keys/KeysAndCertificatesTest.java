package dev.orchardmdm.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.KeyMismatchException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.SignatureVerificationException;
import dev.orchardmdm.crypto.UntrustedCertificateException;
import dev.orchardmdm.crypto.CertificateValidityException;
import dev.orchardmdm.crypto.testing.Openssl;
import dev.orchardmdm.crypto.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysAndCertificatesTest {
    static KeyPair rsa;
    static KeyPair ec;
    static X509Certificate rsaCert;
    static X509Certificate ecCert;
    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        rsa = KeyPairs.rsa(2048);
        ec = KeyPairs.ec("secp256r1");
        rsaCert = new CertificateBuilder("CN=RSA test,O=Orchard", rsa.getPublic()).selfSigned(rsa.getPrivate());
        ecCert = new CertificateBuilder("CN=EC test,O=Orchard", ec.getPublic()).ca(null).selfSigned(ec.getPrivate());
    }

    @Test
    void certificatePemAndDerRoundTrip() throws Exception {
        String pem = Pem.certificates(List.of(rsaCert, ecCert));
        List<X509Certificate> back = Certificates.parseChain(pem);
        assertThat(back).containsExactly(rsaCert, ecCert);
        assertThat(Certificates.parse(rsaCert.getEncoded())).isEqualTo(rsaCert);
        assertThat(Certificates.subjectAttribute(ecCert, NameAttribute.CN)).isEqualTo("EC test");
    }

    @Test
    void fingerprintMatchesOpenssl() throws Exception {
        Files.writeString(dir.resolve("c.pem"), Pem.certificate(rsaCert));
        String out = new String(Openssl.ok(dir, "x509", "-in", "c.pem", "-noout", "-fingerprint", "-sha256"), StandardCharsets.US_ASCII);
        assertThat(out.trim()).endsWith("=" + Certificates.sha256FingerprintColons(rsaCert));
        assertThat(Certificates.sha256Fingerprint(rsaCert)).hasSize(64)
                .isEqualTo(Certificates.sha256FingerprintColons(rsaCert).replace(":", "").toLowerCase());
    }

    @Test
    void privateKeysInEveryFormRoundTrip() throws Exception {
        for (KeyPair kp : List.of(rsa, ec)) {
            PrivateKey k = kp.getPrivate();
            assertThat(Pem.readPrivateKey(Pem.privateKey(k).getBytes(StandardCharsets.US_ASCII))).isEqualTo(k);
            String traditional = Pem.traditionalPrivateKey(k);
            assertThat(traditional).contains(kp == rsa ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY");
            Certificates.checkKeyMatches(kp == rsa ? rsaCert : ecCert,
                    Pem.readPrivateKey(traditional.getBytes(StandardCharsets.US_ASCII)));
            byte[] enc = Pem.encryptedPrivateKey(k, "s3cret".toCharArray()).getBytes(StandardCharsets.US_ASCII);
            assertThat(Pem.readPrivateKey(enc, "s3cret".toCharArray())).isEqualTo(k);
            assertThatThrownBy(() -> Pem.readPrivateKey(enc, "wrong".toCharArray())).isInstanceOf(DecryptionException.class);
            assertThatThrownBy(() -> Pem.readPrivateKey(enc)).isInstanceOf(MalformedDataException.class);
            assertThat(Pem.readPrivateKey(k.getEncoded())).isEqualTo(k);
        }
    }

    @Test
    void readsKeysMadeByOpenssl() throws Exception {
        Openssl.ok(dir, "genrsa", "-traditional", "-aes256", "-passout", "pass:pw", "-out", "rsa1.pem", "2048");
        assertThat(Files.readString(dir.resolve("rsa1.pem"))).contains("BEGIN RSA PRIVATE KEY").contains("Proc-Type");
        PrivateKey k1 = Pem.readPrivateKey(Files.readAllBytes(dir.resolve("rsa1.pem")), "pw".toCharArray());
        assertThat(k1.getAlgorithm()).isEqualTo("RSA");
        Openssl.ok(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem");
        assertThat(Pem.readPrivateKey(Files.readAllBytes(dir.resolve("ec.pem"))).getAlgorithm()).isEqualTo("EC");
        Openssl.ok(dir, "ec", "-in", "ec.pem", "-out", "ec1.pem");
        assertThat(Files.readString(dir.resolve("ec1.pem"))).contains("BEGIN EC PRIVATE KEY");
        assertThat(Pem.readPrivateKey(Files.readAllBytes(dir.resolve("ec1.pem"))).getAlgorithm()).isEqualTo("EC");
        Openssl.ok(dir, "pkcs8", "-topk8", "-in", "rsa1.pem", "-passin", "pass:pw", "-passout", "pass:pw2", "-out", "p8.pem");
        assertThat(Pem.readPrivateKey(Files.readAllBytes(dir.resolve("p8.pem")), "pw2".toCharArray())).isEqualTo(k1);
        Openssl.ok(dir, "rsa", "-in", "rsa1.pem", "-passin", "pass:pw", "-outform", "DER", "-traditional", "-out", "rsa1.der");
        assertThat(Pem.readPrivateKey(Files.readAllBytes(dir.resolve("rsa1.der")))).isEqualTo(k1);
    }

    @Test
    void opensslReadsOurEncryptedKey() throws Exception {
        Files.writeString(dir.resolve("k.pem"), Pem.encryptedPrivateKey(rsa.getPrivate(), "pw".toCharArray()));
        Openssl.ok(dir, "pkey", "-in", "k.pem", "-passin", "pass:pw", "-out", "plain.pem");
        assertThat(Pem.readPrivateKey(Files.readAllBytes(dir.resolve("plain.pem")))).isEqualTo(rsa.getPrivate());
    }

    @Test
    void pkcs12BothWays() throws Exception {
        byte[] p12 = Pkcs12.write(KeyAndChain.of(rsa.getPrivate(), rsaCert), "push", "pw".toCharArray());
        KeyAndChain back = Pkcs12.read(p12, "pw".toCharArray());
        assertThat(back.privateKey()).isEqualTo(rsa.getPrivate());
        assertThat(back.certificate()).isEqualTo(rsaCert);
        assertThatThrownBy(() -> Pkcs12.read(p12, "bad".toCharArray())).isInstanceOf(DecryptionException.class);
        Files.write(dir.resolve("ours.p12"), p12);
        Openssl.ok(dir, "pkcs12", "-in", "ours.p12", "-passin", "pass:pw", "-nokeys", "-out", "fromp12.pem");
        assertThat(Certificates.parse(Files.readAllBytes(dir.resolve("fromp12.pem")))).isEqualTo(rsaCert);

        Files.writeString(dir.resolve("k.pem"), Pem.privateKey(ec.getPrivate()));
        Files.writeString(dir.resolve("c.pem"), Pem.certificate(ecCert));
        Openssl.ok(dir, "pkcs12", "-export", "-inkey", "k.pem", "-in", "c.pem", "-passout", "pass:pw", "-out", "theirs.p12");
        KeyAndChain theirs = Pkcs12.read(Files.readAllBytes(dir.resolve("theirs.p12")), "pw".toCharArray());
        assertThat(theirs.certificate()).isEqualTo(ecCert);
        assertThat(theirs.privateKey().getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
        assertThatThrownBy(() -> Pkcs12.read(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, "pw".toCharArray()))
                .isInstanceOf(MalformedDataException.class);
    }

    @Test
    void csrCreatedHereVerifiesWithOpensslAndBack() throws Exception {
        byte[] csr = Csrs.create(rsa, "CN=MDM Push,C=US");
        Files.write(dir.resolve("r.der"), csr);
        String text = Openssl.run(dir, "req", "-inform", "DER", "-in", "r.der", "-verify", "-noout", "-subject").stderr()
                + new String(Openssl.ok(dir, "req", "-inform", "DER", "-in", "r.der", "-verify", "-noout", "-subject"),
                StandardCharsets.US_ASCII);
        assertThat(text).contains("verify OK").contains("CN = MDM Push");
        PKCS10CertificationRequest parsed = Csrs.parse(Csrs.toPem(csr).getBytes(StandardCharsets.US_ASCII));
        assertThat(Csrs.publicKey(parsed)).isEqualTo(rsa.getPublic());

        Openssl.ok(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "x.key",
                "-subj", "/CN=from openssl", "-out", "x.csr");
        assertThat(Csrs.parse(Files.readAllBytes(dir.resolve("x.csr"))).getSubject().toString()).isEqualTo("CN=from openssl");

        byte[] tampered = csr.clone();
        tampered[tampered.length - 5] ^= 1;
        assertThatThrownBy(() -> Csrs.parse(tampered)).isInstanceOfAny(SignatureVerificationException.class,
                MalformedDataException.class);
    }

    @Test
    void keyMatchCheck() throws Exception {
        Certificates.checkKeyMatches(rsaCert, rsa.getPrivate());
        Certificates.checkKeyMatches(ecCert, ec.getPrivate());
        assertThatThrownBy(() -> Certificates.checkKeyMatches(rsaCert, KeyPairs.rsa(2048).getPrivate()))
                .isInstanceOf(KeyMismatchException.class);
        assertThatThrownBy(() -> Certificates.checkKeyMatches(rsaCert, ec.getPrivate()))
                .isInstanceOf(KeyMismatchException.class);
    }

    @Test
    void garbageAndOversizedInputsAreTyped() {
        assertThatThrownBy(() -> Certificates.parse("not a cert".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> Certificates.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                .getBytes(StandardCharsets.US_ASCII))).isInstanceOf(MalformedDataException.class);
        byte[] truncated = java.util.Arrays.copyOf(Certificates.der(rsaCert), 200);
        assertThatThrownBy(() -> Certificates.parse(truncated)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> Certificates.parse(new byte[Limits.MAX_ENCODED + 1]))
                .isInstanceOf(OversizedInputException.class);
        assertThatThrownBy(() -> Pem.readPrivateKey(new byte[] {1, 2, 3})).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void chainVerification() throws Exception {
        TestPki pki = TestPki.createWithIntermediate("Chain CA");
        KeyAndChain device = pki.issueDevice("dev", "org", "SN1");
        ChainVerifier both = new ChainVerifier(pki.chain());
        assertThat(both.verify(device.certificate(), List.of(), Instant.now(), Duration.ZERO))
                .containsExactly(device.certificate(), pki.certificate());
        ChainVerifier rootOnly = new ChainVerifier(List.of(pki.chain().get(1)));
        assertThat(rootOnly.verify(device.certificate(), List.of(pki.certificate()), Instant.now(), Duration.ZERO))
                .hasSize(3);
        assertThatThrownBy(() -> rootOnly.verify(device.certificate(), List.of(), Instant.now(), Duration.ZERO))
                .isInstanceOf(UntrustedCertificateException.class);
        TestPki other = TestPki.create("Other CA");
        assertThatThrownBy(() -> new ChainVerifier(other.chain()).verify(device.certificate(), List.of(pki.certificate()),
                Instant.now(), Duration.ZERO)).isInstanceOf(UntrustedCertificateException.class);
        Instant past = device.certificate().getNotAfter().toInstant().plus(Duration.ofHours(1));
        assertThatThrownBy(() -> both.verify(device.certificate(), List.of(), past, Duration.ZERO))
                .isInstanceOf(CertificateValidityException.class);
        assertThat(both.verify(device.certificate(), List.of(), past, Duration.ofHours(2))).hasSize(2);
        assertThat(both.verify(device.certificate(), List.of(), ChainVerifier.ValidityCheck.NONE)).hasSize(2);
        assertThat(both.verify(device.certificate(), List.of(), ChainVerifier.ValidityCheck.at(past, Duration.ofHours(2))))
                .hasSize(2);
        assertThatThrownBy(() -> both.verify(device.certificate(), List.of(), null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class);
        // a device certificate cannot act as an issuer
        KeyPair kp = KeyPairs.rsa(2048);
        X509Certificate fake = new CertificateBuilder("CN=sub", kp.getPublic()).issuedBy(device.certificate(), device.privateKey());
        assertThatThrownBy(() -> both.verify(fake, List.of(device.certificate()), Instant.now(), Duration.ZERO))
                .isInstanceOf(UntrustedCertificateException.class);
    }
}
