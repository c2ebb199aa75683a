package dev.orchardmdm.dep.ade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.dep.AbmTokenFormatException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdeServerTokenTest {

    private static final String JSON = "{\"consumer_key\":\"CK_1\",\"consumer_secret\":\"CS_secret\","
            + "\"access_token\":\"AT_1\",\"access_secret\":\"AS_secret\","
            + "\"access_token_expiry\":\"2027-03-06T11:09:27Z\"}";

    @Test
    void parsesBareJsonAndTheSmimeMessageForm() throws Exception {
        AdeServerToken bare = AdeServerToken.parse(JSON);
        AdeServerToken wrapped = AdeServerToken.parse("Content-Type: text/plain;charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\n" + JSON
                + "\n-----END MESSAGE-----\n");
        assertThat(wrapped).isEqualTo(bare);
        assertThat(bare.consumerKey()).isEqualTo("CK_1");
        assertThat(bare.accessSecret()).isEqualTo("AS_secret");
        assertThat(bare.accessTokenExpiry()).isEqualTo(Instant.parse("2027-03-06T11:09:27Z"));
        assertThat(bare.isExpired(Instant.parse("2027-03-06T11:09:26Z"))).isFalse();
        assertThat(bare.isExpired(Instant.parse("2027-03-06T11:09:27Z"))).isTrue();
    }

    @Test
    void neverPrintsSecrets() throws Exception {
        assertThat(AdeServerToken.parse(JSON).toString()).contains("CK_1").doesNotContain("CS_secret", "AS_secret");
    }

    @Test
    void rejectsMalformedTokens() {
        assertThatThrownBy(() -> AdeServerToken.parse("not json")).isInstanceOf(AbmTokenFormatException.class);
        assertThatThrownBy(() -> AdeServerToken.parse("[1]")).isInstanceOf(AbmTokenFormatException.class);
        assertThatThrownBy(() -> AdeServerToken.parse(JSON.replace("\"AS_secret\"", "12")))
                .isInstanceOf(AbmTokenFormatException.class).hasMessageContaining("access_secret");
        assertThatThrownBy(() -> AdeServerToken.parse(JSON.replace("2027-03-06T11:09:27Z", "soon")))
                .isInstanceOf(AbmTokenFormatException.class).hasMessageContaining("access_token_expiry");
        assertThatThrownBy(() -> AdeServerToken.parse("-----BEGIN MESSAGE-----" + JSON))
                .isInstanceOf(AbmTokenFormatException.class);
        assertThatThrownBy(() -> AdeServerToken.parse("x".repeat(100_000)))
                .isInstanceOf(AbmTokenFormatException.class);
    }
}
