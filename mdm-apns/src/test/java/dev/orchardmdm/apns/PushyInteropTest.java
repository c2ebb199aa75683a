package dev.orchardmdm.apns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against Pushy's validating MockApnsServer (Netty, HTTP/2, TLS client certificates). */
class PushyInteropTest {
    private static final Instant EXPIRED_AT = Instant.parse("2026-09-30T10:00:00.123Z");
    private static TestPki pki;
    private static PushCredentials credentials;
    private static PushCredentials otherTopic;
    private static List<String> tokens;
    private static String expiredToken;
    private static PushyMockServer server;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki();
        credentials = pki.pushCredentials(TestPki.newTopic());
        otherTopic = pki.pushCredentials(TestPki.newTopic());
        tokens = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tokens.add(ApnsClientTest.newToken());
        }
        expiredToken = ApnsClientTest.newToken();
        server = new PushyMockServer(pki, Map.of(credentials.topic(), Set.copyOf(tokens)),
                Map.of(expiredToken, EXPIRED_AT));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static ApnsClient client(PushCredentials identity) throws Exception {
        return ApnsClient.builder(identity).baseUrl(server.baseUrl()).trustManager(pki.trustManager())
                .retryPolicy(RetryPolicy.none()).build();
    }

    @Test
    void pushyAcceptsOurMdmNotifications() throws Exception {
        try (ApnsClient apns = client(credentials)) {
            assertThat(apns.notify(tokens.get(0), "magic")).isInstanceOf(PushOutcome.Accepted.class);
        }
    }

    @Test
    void unknownAndExpiredTokensAreDead() throws Exception {
        try (ApnsClient apns = client(credentials)) {
            assertThat(apns.notify(ApnsClientTest.newToken(), "magic"))
                    .isEqualTo(new PushOutcome.TokenDead(400, "DeviceTokenNotForTopic", null));
            assertThat(apns.notify(expiredToken, "magic"))
                    .isEqualTo(new PushOutcome.TokenDead(410, "Unregistered", EXPIRED_AT));
        }
    }

    @Test
    void aTokenOfAnotherTopicIsNotForThisCertificate() throws Exception {
        try (ApnsClient apns = client(otherTopic)) {
            assertThat(apns.notify(tokens.get(1), "magic"))
                    .isEqualTo(new PushOutcome.TokenDead(400, "DeviceTokenNotForTopic", null));
        }
    }

    @Test
    void aCertificateFromAnotherCaIsNeverAccepted() throws Exception {
        try (ApnsClient apns = client(pki.roguePushCredentials(credentials.topic()))) {
            assertThat(apns.notify(tokens.get(2), "magic"))
                    .isInstanceOfAny(PushOutcome.CertificateRejected.class, PushOutcome.Retryable.class);
        }
    }

    @Test
    void bulkOverOneMultiplexedConnection() throws Exception {
        List<MdmPush> pushes = tokens.stream().map(t -> new MdmPush(t, "magic")).toList();
        try (ApnsClient apns = client(credentials)) {
            List<PushResult> results = apns.notifyBulk(pushes);
            assertThat(results).extracting(PushResult::push).containsExactlyElementsOf(pushes);
            assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isInstanceOf(PushOutcome.Accepted.class));
        }
    }
}
