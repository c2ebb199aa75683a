package dev.orchardmdm.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.KeyMismatchException;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.Openssl;
import dev.orchardmdm.crypto.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSignerTest {
    static final byte[] PROFILE = TestPki.utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
            + "<key>PayloadType</key><string>Configuration</string><key>PayloadIdentifier</key>"
            + "<string>dev.orchardmdm.test</string></dict></plist>\n");

    @Test
    void signedProfileVerifiesWithOpensslAndCarriesTheContent(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.createWithIntermediate("Profile CA");
        KeyAndChain server = pki.issue("CN=mdm.example.com,O=Orchard", KeyPairs.rsa(2048), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)));
        byte[] signed = new ProfileSigner(server).sign(PROFILE);
        assertThat(signed[1]).isNotEqualTo((byte) 0x80); // DER, definite length

        Files.write(dir.resolve("p.mobileconfig"), signed);
        Files.writeString(dir.resolve("root.pem"), Pem.certificate(pki.chain().get(1)));
        Openssl.ok(dir, "cms", "-verify", "-inform", "DER", "-in", "p.mobileconfig", "-CAfile", "root.pem",
                "-purpose", "any", "-out", "content.plist");
        assertThat(Files.readAllBytes(dir.resolve("content.plist"))).isEqualTo(PROFILE);
        Openssl.ok(dir, "smime", "-verify", "-inform", "DER", "-in", "p.mobileconfig", "-CAfile", "root.pem",
                "-purpose", "any", "-out", "content2.plist");
        assertThat(Files.readAllBytes(dir.resolve("content2.plist"))).isEqualTo(PROFILE);
        String printed = new String(Openssl.ok(dir, "cms", "-cmsout", "-print", "-inform", "DER", "-in", "p.mobileconfig"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(printed).contains("sha256").contains("CN=Profile CA");

        // and it verifies with our own parser
        SignedMessages.Verified v = SignedMessages.verify(signed, null, 1 << 20);
        assertThat(v.content()).isEqualTo(PROFILE);
        assertThat(v.digest()).isEqualTo("SHA-256");
        assertThat(v.certificates()).hasSize(3);

        // an EC signer works too
        KeyAndChain ec = pki.issue("CN=ec.example.com", KeyPairs.ec("secp256r1"), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)));
        Files.write(dir.resolve("ec.mobileconfig"), new ProfileSigner(ec).sign(PROFILE));
        Openssl.ok(dir, "cms", "-verify", "-inform", "DER", "-in", "ec.mobileconfig", "-CAfile", "root.pem",
                "-purpose", "any", "-out", "content3.plist");

        assertThatThrownBy(() -> new ProfileSigner(new KeyAndChain(ec.privateKey(), server.chain())))
                .isInstanceOf(KeyMismatchException.class);
    }
}
