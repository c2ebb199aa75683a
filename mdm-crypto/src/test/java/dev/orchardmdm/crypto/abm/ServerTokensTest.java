package dev.orchardmdm.crypto.abm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.WrongContentTypeException;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTokensTest {
    static final String MESSAGE = "Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
            + "-----BEGIN MESSAGE-----\n{\"consumer_key\":\"CK_0123abcd\",\"consumer_secret\":\"CS_secret\\/x\","
            + "\"access_token\":\"AT_0O1Z\",\"access_secret\":\"AS_\\u00e9\",\"access_token_expiry\":\"2026-11-26T10:00:00Z\"}"
            + "\n-----END MESSAGE-----\n";
    static KeyAndChain tokenKey;
    @TempDir
    Path dir;

    @BeforeAll
    static void key() {
        tokenKey = ServerTokens.newTokenKey("Orchard ADE token");
    }

    @Test
    void decryptsAnOpensslMadeSmimeToken() throws Exception {
        assertThat(tokenKey.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Orchard ADE token");
        Files.writeString(dir.resolve("cert.pem"), Pem.certificate(tokenKey.certificate()));
        Files.writeString(dir.resolve("msg.txt"), MESSAGE);
        Openssl.ok(dir, "smime", "-encrypt", "-aes256", "-in", "msg.txt", "-out", "token.p7m", "cert.pem");
        byte[] p7m = Files.readAllBytes(dir.resolve("token.p7m"));
        assertThat(new String(p7m, java.nio.charset.StandardCharsets.US_ASCII)).contains("pkcs7-mime").contains("enveloped-data");
        ServerTokens.OAuthTokens t = ServerTokens.decrypt(p7m, tokenKey);
        assertThat(t.consumerKey()).isEqualTo("CK_0123abcd");
        assertThat(t.consumerSecret()).isEqualTo("CS_secret/x");
        assertThat(t.accessToken()).isEqualTo("AT_0O1Z");
        assertThat(t.accessSecret()).isEqualTo("AS_é");
        assertThat(t.accessTokenExpiry()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(t.toString()).doesNotContain("CS_secret").doesNotContain("AS_");

        Openssl.ok(dir, "smime", "-encrypt", "-des3", "-outform", "DER", "-in", "msg.txt", "-out", "token.der", "cert.pem");
        assertThat(ServerTokens.decrypt(Files.readAllBytes(dir.resolve("token.der")), tokenKey).consumerKey())
                .isEqualTo("CK_0123abcd");
    }

    @Test
    void rejectsTokensForOtherKeysAndMalformedContent() throws Exception {
        KeyAndChain other = ServerTokens.newTokenKey("other");
        Files.writeString(dir.resolve("other.pem"), Pem.certificate(other.certificate()));
        Files.writeString(dir.resolve("msg.txt"), MESSAGE);
        Openssl.ok(dir, "smime", "-encrypt", "-aes256", "-in", "msg.txt", "-out", "other.p7m", "other.pem");
        assertThatThrownBy(() -> ServerTokens.decrypt(Files.readAllBytes(dir.resolve("other.p7m")), tokenKey))
                .isInstanceOf(DecryptionException.class);
        // a signed message instead of an encrypted one
        Files.writeString(dir.resolve("k.pem"), Pem.privateKey(tokenKey.privateKey()));
        Files.writeString(dir.resolve("c.pem"), Pem.certificate(tokenKey.certificate()));
        Openssl.ok(dir, "cms", "-sign", "-in", "msg.txt", "-outform", "DER", "-out", "signed.der", "-signer", "c.pem",
                "-inkey", "k.pem", "-nodetach");
        assertThatThrownBy(() -> ServerTokens.decrypt(Files.readAllBytes(dir.resolve("signed.der")), tokenKey))
                .isInstanceOf(WrongContentTypeException.class);
        assertThatThrownBy(() -> ServerTokens.decrypt("Content-Type: x\n\n!!!".getBytes(), tokenKey))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> ServerTokens.parseMessage("no block")).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> ServerTokens.parseMessage("-----BEGIN MESSAGE-----\n{\"consumer_key\":\"a\"}\n"
                + "-----END MESSAGE-----")).isInstanceOf(MalformedDataException.class).hasMessageContaining("consumer_secret");
    }

    @Test
    void flatJsonIsStrict() throws Exception {
        assertThat(FlatJson.parseObject(" { \"a\" : \"x\\n\", \"b\": 12.5e3, \"c\": true, \"d\": null } "))
                .isEqualTo(Map.of("a", "x\n", "b", "12.5e3", "c", "true", "d", "null"));
        assertThat(FlatJson.parseObject("{}")).isEmpty();
        for (String bad : new String[] {"", "{", "{\"a\":}", "{\"a\":\"x\"", "{\"a\":{\"b\":1}}", "{\"a\":[1]}",
                "{\"a\":1,\"a\":2}", "{\"a\":\"x\"} extra", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}", "{a:1}",
                "{\"a\":01}", "{\"a\":\"x\ny\"}"}) {
            assertThatThrownBy(() -> FlatJson.parseObject(bad)).as(bad).isInstanceOf(MalformedDataException.class);
        }
        assertThatThrownBy(() -> FlatJson.parseObject("{\"a\":\"" + "x".repeat(70_000) + "\"}"))
                .isInstanceOf(MalformedDataException.class);
    }
}
