package dev.orchardmdm.dep.ade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.abm.ServerTokens;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.dep.AbmTokenFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import okhttp3.mockwebserver.MockWebServer;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.junit.jupiter.api.Test;

/**
 * The whole onboarding path: the MDM's token key (mdm-crypto), a server token encrypted to it as ABM does, its
 * decryption (mdm-crypto), and a signed ADE session with the result.
 */
class ServerTokenFlowTest {

    @Test
    void aDecryptedServerTokenOpensAnAdeSession() throws Exception {
        KeyAndChain tokenKey = ServerTokens.newTokenKey("orchard-dep-token-1");
        String json = "{\"consumer_key\":\"" + FakeAdeServer.CONSUMER_KEY + "\",\"consumer_secret\":\""
                + FakeAdeServer.CONSUMER_SECRET + "\",\"access_token\":\"" + FakeAdeServer.ACCESS_TOKEN
                + "\",\"access_secret\":\"" + FakeAdeServer.ACCESS_SECRET + "\",\"access_token_expiry\":\""
                + Instant.now().plusSeconds(86_400 * 365).toString().replaceFirst("\\.\\d+Z$", "Z") + "\"}";
        String message = "Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + "-----BEGIN MESSAGE-----\n" + json + "\n-----END MESSAGE-----\n";
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(tokenKey.certificate()));
        byte[] p7m = generator.generate(new CMSProcessableByteArray(message.getBytes(StandardCharsets.UTF_8)),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build()).getEncoded();

        AdeServerToken token = AdeServerToken.from(ServerTokens.decrypt(p7m, tokenKey));
        assertThat(token).isEqualTo(AdeServerToken.parse(message));

        FakeAdeServer fake = new FakeAdeServer();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            assertThat(AdeClient.builder(token).baseUrl(server.url("/")).build().account().orgName())
                    .isEqualTo("Orchard Org");
        }
        assertThat(fake.sessionRequests).hasValue(1);
    }

    @Test
    void anUnreadableExpiryIsRefused() {
        assertThatThrownBy(() -> AdeServerToken.from(new ServerTokens.OAuthTokens("CK", "CS", "AT", "AS", "never")))
                .isInstanceOf(AbmTokenFormatException.class);
    }
}
