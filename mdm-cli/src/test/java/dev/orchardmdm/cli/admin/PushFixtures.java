package dev.orchardmdm.cli.admin;

import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.keys.Pkcs12;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * Push certificates as Apple issues them (topic in the subject UID), issued by a test CA, written to
 * a directory: {@code first.pem}, its renewal {@code renewed.der} (same topic), {@code other-topic.pem},
 * {@code expired.pem}, the key encrypted ({@code push.key}, password in {@code password}) and plain
 * ({@code plain.key}), {@code stranger.key}, a key of none of them, and {@code push.p12}, the renewal and
 * its key in PKCS#12 (same password).
 */
final class PushFixtures {
    static final String TOPIC = "com.apple.mgmt.External.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    static final String OTHER_TOPIC = "com.apple.mgmt.External.11111111-2222-3333-4444-555555555555";
    static final String KEY_PASSWORD = "push-secret";

    final Path dir;
    final KeyPair pushKeys = KeyPairs.rsa(2048);
    private final KeyPair caKeys = KeyPairs.rsa(2048);
    private final X509Certificate ca = new CertificateBuilder("CN=Test Application Integration CA,O=Orchard tests",
            caKeys.getPublic()).ca(0).validFor(Duration.ofDays(400)).selfSigned(caKeys.getPrivate());

    PushFixtures(Path dir) throws Exception {
        this.dir = dir;
        Files.writeString(dir.resolve("push.key"), Pem.encryptedPrivateKey(pushKeys.getPrivate(),
                KEY_PASSWORD.toCharArray()));
        Files.writeString(dir.resolve("plain.key"), Pem.privateKey(pushKeys.getPrivate()));
        Files.writeString(dir.resolve("password"), KEY_PASSWORD + "\n");
        Instant now = Instant.now();
        Files.writeString(dir.resolve("first.pem"), Pem.certificate(push(TOPIC, now.minusSeconds(60),
                Duration.ofDays(365))));
        Files.write(dir.resolve("renewed.der"), Certificates.der(push(TOPIC, now.minusSeconds(30),
                Duration.ofDays(366))));
        Files.writeString(dir.resolve("other-topic.pem"), Pem.certificate(push(OTHER_TOPIC, now.minusSeconds(60),
                Duration.ofDays(365))));
        Files.writeString(dir.resolve("expired.pem"), Pem.certificate(push(TOPIC, now.minus(Duration.ofDays(400)),
                Duration.ofDays(365))));
        Files.writeString(dir.resolve("stranger.key"), Pem.privateKey(caKeys.getPrivate()));
        Files.write(dir.resolve("push.p12"), Pkcs12.write(KeyAndChain.of(pushKeys.getPrivate(),
                Certificates.parse(Files.readAllBytes(dir.resolve("renewed.der")))), "push", KEY_PASSWORD.toCharArray()));
    }

    private X509Certificate push(String topic, Instant from, Duration validity) {
        return new CertificateBuilder("UID=" + topic + ",CN=APSP:" + topic.substring(24) + ",C=US",
                pushKeys.getPublic()).validity(from, from.plus(validity)).issuedBy(ca, caKeys.getPrivate());
    }

    /** The path of one of the files, as a command-line argument. */
    String f(String name) {
        return dir.resolve(name).toString();
    }
}
