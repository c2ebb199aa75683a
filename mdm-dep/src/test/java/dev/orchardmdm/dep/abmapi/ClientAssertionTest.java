package dev.orchardmdm.dep.abmapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.dep.AbmTokenFormatException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientAssertionTest {

    private static final String CLIENT_ID = "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152";
    private static final String KEY_ID = "d136aa66-0c3b-4bd4-9892-c20e8db024ab";
    private static final String AUD = "https://account.apple.com/auth/oauth2/v2/token";

    private static KeyPair p256;
    private static KeyPair p384;
    private static KeyPair rsa;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        p256 = ec.generateKeyPair();
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        p384 = ec.generateKeyPair();
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(1024);
        rsa = r.generateKeyPair();
    }

    @Test
    void theAssertionIsAnEs256JwtWithApplesClaims() throws Exception {
        AbmApiCredentials credentials = AbmApiCredentials.of(CLIENT_ID, KEY_ID, p256.getPrivate());
        Instant now = Instant.parse("2026-01-15T10:00:00Z");
        String jwt = ClientAssertion.create(credentials, AUD, now, Duration.ofDays(180));

        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(jwt).doesNotContain("=").doesNotContain("+").doesNotContain("/");
        ObjectMapper mapper = new ObjectMapper();
        JsonNode header = mapper.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.path("alg").asText()).isEqualTo("ES256");
        assertThat(header.path("kid").asText()).isEqualTo(KEY_ID);
        assertThat(claims.path("sub").asText()).isEqualTo(CLIENT_ID);
        assertThat(claims.path("iss").asText()).isEqualTo(CLIENT_ID);
        assertThat(claims.path("aud").asText()).isEqualTo(AUD);
        assertThat(claims.path("iat").asLong()).isEqualTo(now.getEpochSecond());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(180L * 24 * 3600);
        assertThat(claims.path("jti").asText()).hasSizeGreaterThan(20);

        // JOSE r||s: 64 bytes, verifiable with the public key; a modified payload fails
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        assertThat(signature).hasSize(64);
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(p256.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signature)).isTrue();
        verifier.initVerify(p256.getPublic());
        verifier.update((parts[0] + "." + parts[1] + "x").getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signature)).isFalse();

        String second = ClientAssertion.create(credentials, AUD, now, Duration.ofMinutes(15));
        JsonNode secondClaims = mapper.readTree(Base64.getUrlDecoder().decode(second.split("\\.")[1]));
        assertThat(secondClaims.path("jti").asText()).isNotEqualTo(claims.path("jti").asText());
    }

    @Test
    void lifetimesBeyond180DaysAreRefused() throws Exception {
        AbmApiCredentials credentials = AbmApiCredentials.of(CLIENT_ID, KEY_ID, p256.getPrivate());
        assertThatThrownBy(() -> ClientAssertion.create(credentials, AUD, Instant.now(), Duration.ofDays(181)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AbmApiClient.builder(credentials).assertionLifetime(Duration.ofDays(181)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialsLoadFromPkcs8AndSec1Pem() throws Exception {
        for (String pem : new String[] {Pem.privateKey(p256.getPrivate()), Pem.traditionalPrivateKey(p256.getPrivate())}) {
            AbmApiCredentials c = AbmApiCredentials.fromPem(CLIENT_ID, KEY_ID, pem.getBytes(StandardCharsets.US_ASCII));
            assertThat(c.privateKey().getS()).isEqualTo(((java.security.interfaces.ECPrivateKey) p256.getPrivate()).getS());
            assertThat(c.scope()).isEqualTo("business.api");
            assertThat(c.isBusiness()).isTrue();
            assertThat(c.defaultBaseUrl()).isEqualTo(HttpUrl.get("https://api-business.apple.com/v1/"));
            assertThat(c.toString()).contains(CLIENT_ID).doesNotContain(c.privateKey().getS().toString())
                    .doesNotContain(pem.substring(30, 60));
        }
        AbmApiCredentials school = AbmApiCredentials.of("SCHOOLAPI.x", KEY_ID, p256.getPrivate());
        assertThat(school.scope()).isEqualTo("school.api");
    }

    @Test
    void otherKeysAndMalformedInputAreRefused() {
        assertThatThrownBy(() -> AbmApiCredentials.of(CLIENT_ID, KEY_ID, p384.getPrivate()))
                .isInstanceOf(AbmTokenFormatException.class).hasMessageContaining("P-256");
        assertThatThrownBy(() -> AbmApiCredentials.of(CLIENT_ID, KEY_ID, rsa.getPrivate()))
                .isInstanceOf(AbmTokenFormatException.class).hasMessageContaining("RSA");
        assertThatThrownBy(() -> AbmApiCredentials.fromPem(CLIENT_ID, KEY_ID,
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(AbmTokenFormatException.class);
        assertThatThrownBy(() -> AbmApiCredentials.fromPem(CLIENT_ID, KEY_ID, new byte[20_000]))
                .isInstanceOf(AbmTokenFormatException.class);
        assertThatThrownBy(() -> AbmApiCredentials.of("", KEY_ID, p256.getPrivate()))
                .isInstanceOf(AbmTokenFormatException.class);
        assertThatThrownBy(() -> AbmApiCredentials.of(CLIENT_ID, "kid with spaces", p256.getPrivate()))
                .isInstanceOf(AbmTokenFormatException.class);
    }
}
