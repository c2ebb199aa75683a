package dev.orchardmdm.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against the strict local APNs fake: headers, payload, outcomes, retries, bulk window. */
class ApnsClientTest {
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    private static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));
    private static final Random RANDOM = new Random(42);

    private static TestPki pki;
    private static PushCredentials credentials;
    private static FakeApns fake;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki();
        credentials = pki.pushCredentials(TestPki.newTopic());
        fake = new FakeApns(pki);
    }

    @AfterAll
    static void stop() throws Exception {
        fake.close();
    }

    static String newToken() {
        byte[] token = new byte[32];
        synchronized (RANDOM) {
            RANDOM.nextBytes(token);
        }
        return HexFormat.of().formatHex(token);
    }

    private static ApnsClient.Builder client(FakeApns server) throws Exception {
        return client(credentials, server);
    }

    private static ApnsClient.Builder client(PushCredentials identity, FakeApns server) throws Exception {
        return ApnsClient.builder(identity).baseUrl(server.baseUrl()).trustManager(pki.trustManager())
                .retryPolicy(FAST_RETRIES).clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void sendsAnMdmNotificationTheWayApnsExpects() throws Exception {
        String token = newToken();
        try (ApnsClient apns = client(fake).build()) {
            PushOutcome outcome = apns.notify(token, "B2C5A6D4-6E3A-4F6B-9A57-7C3E3C1E0F11");

            assertThat(outcome).isInstanceOf(PushOutcome.Accepted.class);
            FakeApns.Received received = fake.accepted().stream().filter(r -> r.token().equals(token)).findFirst()
                    .orElseThrow();
            assertThat(((PushOutcome.Accepted) outcome).apnsId()).isEqualTo(received.apnsId());
            assertThat(received.topic()).isEqualTo(credentials.topic()).startsWith("com.apple.mgmt.External.");
            assertThat(received.headers().get("apns-push-type")).isEqualTo("mdm");
            assertThat(received.headers().get("apns-topic")).isEqualTo(credentials.topic());
            assertThat(received.headers().get("apns-priority")).isEqualTo("10");
            assertThat(received.headers().get("apns-expiration"))
                    .isEqualTo(Long.toString(NOW.plus(Duration.ofDays(1)).getEpochSecond()));
            assertThat(received.payload()).isEqualTo("{\"mdm\":\"B2C5A6D4-6E3A-4F6B-9A57-7C3E3C1E0F11\"}");
        }
    }

    @Test
    void escapesThePushMagicAsAJsonString() throws Exception {
        String token = newToken();
        try (ApnsClient apns = client(fake).expiration(Duration.ZERO).build()) {
            assertThat(apns.notify(token, "a\"b\\c\nd").accepted()).isTrue();
        }
        FakeApns.Received received = fake.accepted().stream().filter(r -> r.token().equals(token)).findFirst()
                .orElseThrow();
        assertThat(received.payload()).isEqualTo("{\"mdm\":\"a\\\"b\\\\c\\u000ad\"}");
        assertThat(received.headers().get("apns-expiration")).isEqualTo("0");
    }

    @Test
    void anUnregisteredTokenIsDeadWithApnsTimestamp() throws Exception {
        String token = newToken();
        Instant deadSince = Instant.parse("2026-10-01T12:34:56.789Z");
        fake.unregister(token, deadSince);
        try (ApnsClient apns = client(fake).build()) {
            assertThat(apns.notify(token, "magic"))
                    .isEqualTo(new PushOutcome.TokenDead(410, "Unregistered", deadSince));
        }
    }

    @Test
    void refusesMalformedInputWithoutSendingIt() throws Exception {
        int before = fake.requestCount();
        try (ApnsClient apns = client(fake).build()) {
            assertThat(apns.notify("not-hex", "magic")).isEqualTo(new PushOutcome.TokenDead(0, "BadDeviceToken", null));
            assertThat(apns.notify("abc", "magic")).isInstanceOf(PushOutcome.TokenDead.class);
            assertThat(apns.notify(newToken() + "/../x", "magic")).isInstanceOf(PushOutcome.TokenDead.class);
            assertThat(apns.notify(newToken(), "")).isEqualTo(new PushOutcome.Rejected(0, "PayloadEmpty"));
            assertThat(apns.notify(newToken(), "m".repeat(4100)))
                    .isEqualTo(new PushOutcome.Rejected(0, "PayloadTooLarge"));
        }
        assertThat(fake.requestCount()).isEqualTo(before);
    }

    @Test
    void retriesTooManyRequestsAndServerErrorsThenSucceeds() throws Exception {
        String token = newToken();
        fake.script(token, FakeApns.error(429, "TooManyRequests"), FakeApns.error(500, "InternalServerError"));
        try (ApnsClient apns = client(fake).build()) {
            assertThat(apns.notify(token, "magic")).isInstanceOf(PushOutcome.Accepted.class);
        }
        assertThat(fake.requestCount(token)).isEqualTo(3);
    }

    @Test
    void givesUpAfterTheBoundedNumberOfAttempts() throws Exception {
        String token = newToken();
        for (int i = 0; i < 5; i++) {
            fake.script(token, FakeApns.error(503, "ServiceUnavailable"));
        }
        try (ApnsClient apns = client(fake).build()) {
            assertThat(apns.notify(token, "magic"))
                    .isEqualTo(new PushOutcome.Retryable(503, "ServiceUnavailable", 3));
        }
        assertThat(fake.requestCount(token)).isEqualTo(3);
    }

    @Test
    void retriesAStreamThatTimesOut() throws Exception {
        String token = newToken();
        String stalled = newToken();
        fake.script(token, FakeApns.stall(Duration.ofSeconds(3)));
        fake.script(stalled, FakeApns.stall(Duration.ofSeconds(3)));
        try (ApnsClient apns = client(fake).requestTimeout(Duration.ofSeconds(1)).build()) {
            assertThat(apns.notify(newToken(), "warm-up")).isInstanceOf(PushOutcome.Accepted.class);
            assertThat(apns.notify(token, "magic")).isInstanceOf(PushOutcome.Accepted.class);
            assertThat(fake.requestCount(token)).isEqualTo(2);
        }
        try (ApnsClient apns = client(fake).requestTimeout(Duration.ofSeconds(1))
                .retryPolicy(RetryPolicy.none()).build()) {
            assertThat(apns.notify(newToken(), "warm-up")).isInstanceOf(PushOutcome.Accepted.class);
            assertThat(apns.notify(stalled, "magic")).isInstanceOfSatisfying(PushOutcome.Retryable.class,
                    r -> assertThat(r.status()).isZero());
        }
    }

    @Test
    void aRefusedCertificateStopsTheClient() throws Exception {
        try (FakeApns refusing = new FakeApns(pki); ApnsClient apns = client(refusing).build()) {
            refusing.rejectCertificate("BadCertificateEnvironment");
            PushOutcome first = apns.notify(newToken(), "magic");
            assertThat(first).isEqualTo(new PushOutcome.CertificateRejected(403, "BadCertificateEnvironment"));
            assertThat(apns.certificateRejection()).contains((PushOutcome.CertificateRejected) first);

            List<MdmPush> more = List.of(new MdmPush(newToken(), "m"), new MdmPush(newToken(), "m"));
            assertThat(apns.notifyBulk(more)).extracting(PushResult::outcome).containsOnly(first);
            assertThat(refusing.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void topicErrorsAndForbiddenAreCertificateRejections() throws Exception {
        String badTopic = newToken();
        String forbidden = newToken();
        fake.script(badTopic, FakeApns.error(400, "TopicDisallowed"));
        fake.script(forbidden, FakeApns.error(403, "Forbidden"));
        try (ApnsClient apns = client(fake).build()) {
            assertThat(apns.notify(badTopic, "m")).isEqualTo(new PushOutcome.CertificateRejected(400, "TopicDisallowed"));
        }
        try (ApnsClient apns = client(fake).build()) {
            assertThat(apns.notify(forbidden, "m")).isEqualTo(new PushOutcome.CertificateRejected(403, "Forbidden"));
        }
    }

    @Test
    void aCertificateFromAnotherCaIsNeverAccepted() throws Exception {
        PushCredentials rogue = pki.roguePushCredentials(credentials.topic());
        int before = fake.requestCount();
        try (ApnsClient apns = ApnsClient.builder(rogue).baseUrl(fake.baseUrl()).trustManager(pki.trustManager())
                .retryPolicy(RetryPolicy.none()).build()) {
            assertThat(apns.notify(newToken(), "magic"))
                    .isInstanceOfAny(PushOutcome.CertificateRejected.class, PushOutcome.Retryable.class);
        }
        assertThat(fake.requestCount()).isEqualTo(before);
    }

    @Test
    void bulkKeepsOrderAndStaysWithinTheWindow() throws Exception {
        // A certificate of its own, so that its client's thread names are shared by no other test's client.
        PushCredentials own = pki.pushCredentials(TestPki.newTopic());
        try (FakeApns slow = new FakeApns(pki); ApnsClient apns = client(own, slow).maxInFlight(6).build()) {
            slow.handlingTime(Duration.ofMillis(20));
            List<MdmPush> pushes = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                pushes.add(new MdmPush(newToken(), "magic-" + i));
            }
            slow.unregister(pushes.get(7).deviceToken(), NOW);
            pushes.set(11, new MdmPush("zz", "magic"));

            List<PushResult> results = apns.notifyBulk(pushes);

            assertThat(results).extracting(PushResult::push).containsExactlyElementsOf(pushes);
            assertThat(results.get(7).outcome()).isEqualTo(new PushOutcome.TokenDead(410, "Unregistered", NOW));
            assertThat(results.get(11).outcome()).isInstanceOf(PushOutcome.TokenDead.class);
            assertThat(results).filteredOn(r -> r.outcome().accepted()).hasSize(58);
            assertThat(slow.maxConcurrentRequests()).isBetween(2, 6);
            assertThat(callThreads(apns)).isLessThanOrEqualTo(12);
        }
    }

    @Test
    void streamingBulkHandsOverEveryResultOnce() throws Exception {
        ConcurrentHashMap<String, PushOutcome> seen = new ConcurrentHashMap<>();
        List<MdmPush> pushes = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            pushes.add(new MdmPush(newToken(), "magic"));
        }
        try (ApnsClient apns = client(fake).maxInFlight(32).build()) {
            apns.notifyBulk(pushes, r -> assertThat(seen.put(r.push().deviceToken(), r.outcome())).isNull());
        }
        assertThat(seen).hasSize(120);
        assertThat(seen.values()).allMatch(PushOutcome::accepted);
    }

    @Test
    void closingCompletesOutstandingPushesAndRefusesNewOnes() throws Exception {
        String token = newToken();
        fake.script(token, FakeApns.stall(Duration.ofSeconds(2)));
        ApnsClient apns = client(fake).build();
        CompletableFuture<PushOutcome> pending = apns.notifyAsync(new MdmPush(token, "magic"));
        Thread.sleep(100); // let the request reach the fake
        apns.close();
        assertThat(pending.get(5, TimeUnit.SECONDS)).isInstanceOf(PushOutcome.Retryable.class);
        assertThatThrownBy(() -> apns.notifyAsync(new MdmPush(token, "magic")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void productionIsTheDefaultAndSandboxIsSelectable() throws Exception {
        try (ApnsClient apns = ApnsClient.builder(credentials).build()) {
            assertThat(apns.baseUrl()).isEqualTo("https://api.push.apple.com/");
            assertThat(apns.topic()).isEqualTo(credentials.topic());
        }
        try (ApnsClient apns = ApnsClient.builder(credentials).environment(ApnsEnvironment.SANDBOX).build()) {
            assertThat(apns.baseUrl()).isEqualTo("https://api.sandbox.push.apple.com/");
        }
        assertThatThrownBy(() -> ApnsClient.builder(credentials).baseUrl("http://127.0.0.1:1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long callThreads(ApnsClient apns) {
        String prefix = "apns-" + Integer.toHexString(apns.topic().hashCode()) + "-call-";
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }
}
