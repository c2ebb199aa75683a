package dev.orchardmdm.dep.abmapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.dep.AbmApiException;
import dev.orchardmdm.dep.AbmAuthException;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AbmRateLimitException;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.AssignmentResult;
import dev.orchardmdm.dep.DeviceSource;
import dev.orchardmdm.dep.RetryPolicy;
import dev.orchardmdm.dep.SourceDevice;
import dev.orchardmdm.dep.SyncResult;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AbmApiClientTest {

    static final String CLIENT_ID = "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152";
    static final String KEY_ID = "d136aa66-0c3b-4bd4-9892-c20e8db024ab";
    static final String SERVER = "1F97349736CF4614A94F624E705841AD";
    static final String OTHER_SERVER = "7A1C2E95D3B04C8E9F1A2B3C4D5E6F70";

    private static KeyPair accountKey;
    private static KeyPair otherKey;

    private MockWebServer server;
    private FakeAbmApiServer fake;
    private MutableClock clock;
    private final List<Duration> sleeps = new ArrayList<>();

    /** A clock the test moves; shared by the client and the fake. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-15T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        accountKey = g.generateKeyPair();
        otherKey = g.generateKeyPair();
    }

    @BeforeEach
    void start() throws Exception {
        startFake(CLIENT_ID);
    }

    private void startFake(String clientId) throws Exception {
        if (server != null) {
            server.shutdown();
        }
        clock = new MutableClock();
        server = new MockWebServer();
        server.start();
        fake = new FakeAbmApiServer(clientId, KEY_ID, accountKey.getPublic(), server.url("/"), clock);
        server.setDispatcher(fake);
        fake.addServer(SERVER, "Orchard");
        fake.addServer(OTHER_SERVER, "Other MDM");
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private AbmApiClient.Builder builder(AbmApiCredentials credentials) {
        return AbmApiClient.builder(credentials).baseUrl(fake.apiUrl()).tokenUrl(fake.tokenUrl()).clock(clock)
                .retryPolicy(new RetryPolicy(2, Duration.ofSeconds(30), Duration.ofMillis(100), sleeps::add))
                .activityPolling(5, Duration.ofSeconds(2));
    }

    private AbmApiClient client() throws AbmException {
        return builder(AbmApiCredentials.of(CLIENT_ID, KEY_ID, accountKey.getPrivate())).build();
    }

    // ------------------------------------------------------------------------------------------------ tokens

    @Test
    void tokenRequestIsAcceptedAndCachedForTheHour() throws Exception {
        AbmApiClient abm = client();
        assertThat(abm.mdmServers()).extracting(MdmServer::id, MdmServer::serverName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SERVER, "Orchard"),
                        org.assertj.core.groups.Tuple.tuple(OTHER_SERVER, "Other MDM"));
        abm.mdmServers();
        clock.advance(Duration.ofMinutes(50));
        abm.mdmServers();
        assertThat(fake.rejections).isEmpty();
        assertThat(fake.tokensIssued).hasValue(1);
        assertThat(fake.grantedScopes).containsExactly("business.api");

        // 56 minutes after issue: within the renewal margin, so a new token is fetched before Apple would refuse
        clock.advance(Duration.ofMinutes(6));
        abm.mdmServers();
        assertThat(fake.tokensIssued).hasValue(2);
        assertThat(fake.unauthorized).hasValue(0);
    }

    @Test
    void threadsSharingAClientShareOneToken() throws Exception {
        AbmApiClient abm = client();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<MdmServer>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(abm::mdmServers));
            }
            for (java.util.concurrent.Future<List<MdmServer>> call : calls) {
                assertThat(call.get(30, java.util.concurrent.TimeUnit.SECONDS)).hasSize(2);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fake.tokensIssued).hasValue(1);
        assertThat(fake.unauthorized).hasValue(0);
    }

    @Test
    void schoolAccountsAskForTheSchoolScope() throws Exception {
        String school = "SCHOOLAPI.27f3c1a4-8e6b-4b8e-9d5c-1f0a2b3c4d5e";
        startFake(school);
        AbmApiCredentials credentials = AbmApiCredentials.of(school, KEY_ID, accountKey.getPrivate());
        assertThat(credentials.defaultBaseUrl()).isEqualTo(HttpUrl.get("https://api-school.apple.com/v1/"));
        builder(credentials).build().mdmServers();
        assertThat(fake.rejections).isEmpty();
        assertThat(fake.grantedScopes).containsExactly("school.api");
    }

    @Test
    void aTokenThatExpiredOnApplesSideIsRenewedOnce() throws Exception {
        AbmApiClient abm = client();
        abm.mdmServers();
        fake.expireAllTokens();
        assertThat(abm.mdmServers()).hasSize(2);
        assertThat(fake.unauthorized).hasValue(1);
        assertThat(fake.tokensIssued).hasValue(2);
    }

    @Test
    void shortLivedTokensExpireAndAreRenewed() throws Exception {
        fake.expiresIn(120);
        AbmApiClient abm = client();
        abm.mdmServers();
        clock.advance(Duration.ofSeconds(61));   // past half the token's life: renewed before use
        abm.mdmServers();
        assertThat(fake.tokensIssued).hasValue(2);
        assertThat(fake.unauthorized).hasValue(0);
    }

    @Test
    void aWrongKeyIsRefusedByTheTokenEndpoint() throws Exception {
        AbmApiClient abm = builder(AbmApiCredentials.of(CLIENT_ID, KEY_ID, otherKey.getPrivate())).build();
        assertThatThrownBy(abm::mdmServers).isInstanceOfSatisfying(AbmAuthException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.errorCode()).contains("invalid_client");
            assertThat(e.getMessage()).doesNotContain(accountKey.getPrivate().toString());
        });
        assertThat(fake.rejections).containsExactly("signature");
        assertThat(fake.apiRequests).hasValue(0);
    }

    @Test
    void aWrongKeyIdOrClientIdIsRefused() throws Exception {
        AbmApiClient wrongKid = builder(AbmApiCredentials.of(CLIENT_ID, "other-key", accountKey.getPrivate()))
                .build();
        assertThatThrownBy(wrongKid::mdmServers).isInstanceOf(AbmAuthException.class);
        AbmApiClient wrongClient = builder(AbmApiCredentials.of("BUSINESSAPI.other", KEY_ID,
                accountKey.getPrivate())).build();
        assertThatThrownBy(wrongClient::mdmServers).isInstanceOf(AbmAuthException.class);
        assertThat(fake.rejections).containsExactly("header alg/kid", "client_id");
    }

    @Test
    void theFakeRefusesReplayedAndStaleAssertions() throws Exception {
        AbmApiCredentials credentials = AbmApiCredentials.of(CLIENT_ID, KEY_ID, accountKey.getPrivate());
        String aud = fake.tokenUrl().toString();
        String fresh = ClientAssertion.create(credentials, aud, clock.instant(), Duration.ofMinutes(15));
        assertThat(postAssertion(fresh)).isEqualTo(200);
        assertThat(postAssertion(fresh)).isEqualTo(400);
        String stale = ClientAssertion.create(credentials, aud, clock.instant().minus(Duration.ofHours(1)),
                Duration.ofMinutes(15));
        assertThat(postAssertion(stale)).isEqualTo(400);
        String otherAudience = ClientAssertion.create(credentials, "https://account.apple.com/auth/oauth2/token",
                clock.instant(), Duration.ofMinutes(15));
        assertThat(postAssertion(otherAudience)).isEqualTo(400);
        assertThat(fake.rejections).containsExactly("jti missing or replayed", "iat/exp window",
                "aud https://account.apple.com/auth/oauth2/token");
    }

    private int postAssertion(String assertion) throws Exception {
        okhttp3.FormBody form = new okhttp3.FormBody.Builder().add("grant_type", "client_credentials")
                .add("client_id", CLIENT_ID).add("client_assertion_type", AccessTokens.ASSERTION_TYPE)
                .add("client_assertion", assertion).add("scope", "business.api").build();
        try (okhttp3.Response r = new okhttp3.OkHttpClient().newCall(new okhttp3.Request.Builder()
                .url(fake.tokenUrl()).post(form).build()).execute()) {
            return r.code();
        }
    }

    @Test
    void anApiThatKeepsRefusingTokensEndsAfterBoundedRenewals() throws Exception {
        AbmApiClient abm = builder(AbmApiCredentials.of(CLIENT_ID, KEY_ID, accountKey.getPrivate()))
                .maxTokenRenewals(2).build();
        fake.script(new MockResponse().setResponseCode(401), new MockResponse().setResponseCode(401),
                new MockResponse().setResponseCode(401), new MockResponse().setResponseCode(401));
        assertThatThrownBy(abm::mdmServers).isInstanceOfSatisfying(AbmAuthException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(401));
        assertThat(fake.tokensIssued).hasValue(3);
        assertThat(fake.apiRequests).hasValue(3);
    }

    @Test
    void hostileTokenAnswersAreTypedErrors() throws Exception {
        MockWebServer other = new MockWebServer();
        other.enqueue(new MockResponse().setBody("{not json"));
        other.enqueue(new MockResponse().setBody("{\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        other.enqueue(new MockResponse().setBody("{\"access_token\":\"x\",\"expires_in\":99999999}"));
        other.enqueue(new MockResponse().setBody("{\"access_token\":\"x\",\"token_type\":\"MAC\"}"));
        other.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":\"server_error\"}"));
        other.start();
        try {
            AbmApiClient abm = builder(AbmApiCredentials.of(CLIENT_ID, KEY_ID, accountKey.getPrivate()))
                    .tokenUrl(other.url(FakeAbmApiServer.TOKEN_PATH)).build();
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(abm::mdmServers).isInstanceOf(AbmResponseException.class);
            }
            assertThatThrownBy(abm::mdmServers).isInstanceOfSatisfying(AbmApiException.class,
                    e -> assertThat(e.errorCode()).contains("server_error"));
        } finally {
            other.shutdown();
        }
        assertThat(fake.apiRequests).hasValue(0);
    }

    // ------------------------------------------------------------------------------------------------ paging

    @Test
    void orgDevicesFollowNextLinksToTheEnd() throws Exception {
        List<String> serials = fake.addDevices(2001, SERVER, 0);
        List<OrgDevice> all = client().orgDevices();
        assertThat(all).extracting(OrgDevice::serialNumber).containsExactlyElementsOf(serials);
        assertThat(fake.limitsAsked).containsExactly(1000, 1000, 1000);
    }

    @Test
    void orgDevicesFollowMetaPagingCursorsWhenThereIsNoNextLink() throws Exception {
        fake.cursorOnly(true);
        List<String> serials = fake.addDevices(25, SERVER, 0);
        SyncResult r = builder(AbmApiCredentials.of(CLIENT_ID, KEY_ID, accountKey.getPrivate())).pageLimit(10)
                .build().walkOrgDevices(page -> assertThat(page).hasSizeLessThanOrEqualTo(10));
        assertThat(r.devices()).isEqualTo(25);
        assertThat(r.pages()).isEqualTo(3);
        assertThat(r.full()).isTrue();
        assertThat(r.cursor()).isNull();
        assertThat(serials).hasSize(25);
    }

    @Test
    void rateLimitsAreHonouredWithRetryAfter() throws Exception {
        fake.addDevices(3, SERVER, 0);
        AbmApiClient abm = client();
        fake.rateLimit(2, "7");
        assertThat(abm.orgDevices()).hasSize(3);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));

        fake.rateLimit(1, "3600");
        assertThatThrownBy(abm::orgDevices).isInstanceOfSatisfying(AbmRateLimitException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(1)));
    }

    // ------------------------------------------------------------------------------------------------ hostile

    @Test
    void malformedAndIncompleteAnswersAreTypedErrors() throws Exception {
        AbmApiClient abm = client();
        fake.script(new MockResponse().setBody("{\"data\": [ {\"type\":"),
                new MockResponse().setBody("[1,2,3]"),
                new MockResponse().setBody("{\"links\":{}}"),
                new MockResponse().setBody("{\"data\":[{\"type\":\"orgDevices\",\"id\":\"A\",\"attributes\":{}}]}"),
                new MockResponse().setBody("{\"data\":[{\"type\":\"mdmServers\",\"id\":\"A\","
                        + "\"attributes\":{\"serialNumber\":\"A\"}}]}"),
                new MockResponse().setBody("{\"data\":[{\"type\":\"orgDevices\",\"id\":\"A\","
                        + "\"attributes\":{\"serialNumber\":\"A\",\"imei\":\"not a list\"}}]}"),
                new MockResponse().setBody("{\"data\":[],\"links\":{\"next\":\"ftp://example.invalid/x\"}}"));
        for (int i = 0; i < 7; i++) {
            assertThatThrownBy(abm::orgDevices).isInstanceOf(AbmResponseException.class);
        }
        fake.script(new MockResponse().setBody("{\"data\":{\"type\":\"orgDeviceActivities\",\"id\":\"x\","
                + "\"attributes\":{}}}"));
        assertThatThrownBy(() -> abm.activity("x")).isInstanceOf(AbmResponseException.class);
    }

    @Test
    void aRepeatedNextLinkEndsTheWalk() throws Exception {
        AbmApiClient abm = client();
        String self = fake.apiUrl() + "orgDevices?limit=1000";
        String page = "{\"data\":[{\"type\":\"orgDevices\",\"id\":\"A\",\"attributes\":{\"serialNumber\":\"A\"}}],"
                + "\"links\":{\"next\":\"" + self + "\"}}";
        fake.script(new MockResponse().setBody(page), new MockResponse().setBody(page));
        assertThatThrownBy(abm::orgDevices).isInstanceOf(AbmResponseException.class).hasMessageContaining("repeats");
    }

    @Test
    void endlessNextLinksStopAtThePageBound() throws Exception {
        AbmApiClient abm = builder(AbmApiCredentials.of(CLIENT_ID, KEY_ID, accountKey.getPrivate())).maxPages(20)
                .build();
        for (int i = 0; i < 25; i++) {
            fake.script(new MockResponse().setBody("{\"data\":[{\"type\":\"orgDevices\",\"id\":\"S" + i
                    + "\",\"attributes\":{\"serialNumber\":\"S" + i + "\"}}],\"links\":{\"next\":\""
                    + fake.apiUrl() + "orgDevices?cursor=c" + i + "\"}}"));
        }
        List<OrgDevice> seen = new ArrayList<>();
        assertThatThrownBy(() -> abm.walkOrgDevices(seen::addAll)).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("more than 20 pages");
        assertThat(seen).hasSize(20);
        assertThat(fake.apiRequests).hasValue(20);
    }

    @Test
    void emptyPagesWithNextCursorsStopEarly() throws Exception {
        AbmApiClient abm = client();
        for (int i = 0; i < 10; i++) {
            fake.script(new MockResponse().setBody("{\"data\":[],\"meta\":{\"paging\":{\"nextCursor\":\"c" + i
                    + "\"}}}"));
        }
        assertThatThrownBy(abm::orgDevices).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("empty pages");
        assertThat(fake.apiRequests).hasValue(6);
    }

    @Test
    void aNextLinkToAnotherHostIsNotFollowed() throws Exception {
        MockWebServer elsewhere = new MockWebServer();
        elsewhere.start();
        try {
            AbmApiClient abm = client();
            fake.script(new MockResponse().setBody("{\"data\":[],\"links\":{\"next\":\""
                    + elsewhere.url("/v1/orgDevices?cursor=steal") + "\"}}"));
            assertThatThrownBy(abm::orgDevices).isInstanceOf(AbmResponseException.class)
                    .hasMessageContaining("outside the API");
            fake.script(new MockResponse().setBody("{\"data\":[],\"links\":{\"next\":\"//127.0.0.1:"
                    + elsewhere.getPort() + "/v1/orgDevices\"}}"));
            assertThatThrownBy(abm::orgDevices).isInstanceOf(AbmResponseException.class)
                    .hasMessageContaining("outside the API");
            assertThat(elsewhere.getRequestCount()).isZero();
        } finally {
            elsewhere.shutdown();
        }
    }

    @Test
    void aRelativeNextLinkIsResolvedAgainstThePage() throws Exception {
        fake.addDevices(2, SERVER, 0);
        AbmApiClient abm = client();
        fake.script(new MockResponse().setBody("{\"data\":[{\"type\":\"orgDevices\",\"id\":\"A\","
                + "\"attributes\":{\"serialNumber\":\"A\"}}],\"links\":{\"next\":\"/v1/orgDevices?cursor=MA\"}}"));
        assertThat(abm.orgDevices()).extracting(OrgDevice::serialNumber).hasSize(3).startsWith("A");
    }

    @Test
    void moreItemsThanTheLimitAreRefused() throws Exception {
        AbmApiClient abm = builder(AbmApiCredentials.of(CLIENT_ID, KEY_ID, accountKey.getPrivate())).pageLimit(1)
                .build();
        fake.script(new MockResponse().setBody("{\"data\":[{\"type\":\"mdmServers\",\"id\":\"A\"},"
                + "{\"type\":\"mdmServers\",\"id\":\"B\"}]}"));
        assertThatThrownBy(abm::mdmServers).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("2 items for a limit of 1");
    }

    @Test
    void apiErrorsCarryAppleCodes() throws Exception {
        AbmApiClient abm = client();
        assertThatThrownBy(() -> abm.assignedServerId("NOPE")).isInstanceOfSatisfying(AbmApiException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(404);
            assertThat(e.errorCode()).contains("NOT_FOUND");
        });
        fake.script(new MockResponse().setResponseCode(403).setBody("{\"errors\":[{\"status\":\"403\","
                + "\"code\":\"FORBIDDEN\",\"title\":\"no\"}]}"));
        assertThatThrownBy(abm::mdmServers).isInstanceOfSatisfying(AbmAuthException.class,
                e -> assertThat(e.errorCode()).contains("FORBIDDEN"));
    }

    // ------------------------------------------------------------------------------------------------ devices

    @Test
    void oneDeviceWithItsAssignedServer() throws Exception {
        List<String> serials = fake.addDevices(4, SERVER, 2);
        AbmApiClient abm = client();
        OrgDevice assigned = abm.orgDevice(serials.get(0)).orElseThrow();
        assertThat(assigned.assignedServerId()).isEqualTo(SERVER);
        assertThat(assigned.status()).isEqualTo(SourceDevice.DeviceStatus.ASSIGNED);
        assertThat(assigned.model()).isEqualTo("iPhone 15");
        assertThat(assigned.osFamily()).isEqualTo("iOS");
        assertThat(assigned.productType()).isEqualTo("iPhone15,4");
        assertThat(assigned.imei()).hasSize(1);
        assertThat(assigned.changedAt()).contains(Instant.parse("2025-05-01T15:33:54.164Z"));
        assertThat(assigned.rawJson()).contains("\"deviceCapacity\":\"256GB\"");

        OrgDevice unassigned = abm.orgDevice(serials.get(1)).orElseThrow();
        assertThat(unassigned.assignedServerId()).isNull();
        assertThat(unassigned.status()).isEqualTo(SourceDevice.DeviceStatus.UNASSIGNED);
        assertThat(unassigned.osFamily()).isEqualTo("iOS");
        assertThat(abm.orgDevice(serials.get(2)).orElseThrow().osFamily()).isEqualTo("OSX");
        assertThat(abm.orgDevice(serials.get(3)).orElseThrow().osFamily()).isEqualTo("tvOS");
        assertThat(abm.orgDevice("NOSUCHSERIAL")).isEmpty();
    }

    @Test
    void syncReportsExactlyTheDevicesOfThisServer() throws Exception {
        List<String> serials = fake.addDevices(30, SERVER, 3);
        fake.addDevices(5, OTHER_SERVER, 1);
        DeviceSource<OrgDevice> source = builder(AbmApiCredentials.of(CLIENT_ID, KEY_ID, accountKey.getPrivate()))
                .pageLimit(7).mdmServerId(SERVER).build();
        List<OrgDevice> reported = new ArrayList<>();
        SyncResult r = source.syncDevices("ignored-cursor", reported::addAll);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < serials.size(); i += 3) {
            expected.add(serials.get(i));
        }
        assertThat(reported).extracting(OrgDevice::serialNumber).containsExactlyElementsOf(expected);
        assertThat(reported).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(SourceDevice.DeviceStatus.ASSIGNED);
            assertThat(d.assignedServerId()).isEqualTo(SERVER);
        });
        assertThat(r.full()).isTrue();
        assertThat(r.cursor()).isNull();
        assertThat(r.devices()).isEqualTo(10);
        assertThat(r.pages()).isEqualTo(2 + 5);   // 10 linked ids in pages of 7, 35 devices in pages of 7

        assertThatThrownBy(() -> client().syncDevices(null, page -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------------------------------------ activities

    @Test
    void assignmentRunsAnActivityAndPollsItToCompletion() throws Exception {
        List<String> serials = fake.addDevices(5, SERVER, 0);
        fake.activityPolls(2);
        AbmApiClient abm = builder(AbmApiCredentials.of(CLIENT_ID, KEY_ID, accountKey.getPrivate()))
                .activityBatchSize(2).build();
        AssignmentResult r = abm.assignDevices(SERVER, serials);
        assertThat(r.enrollmentRef()).isEqualTo(SERVER);
        assertThat(r.withStatus(AssignmentResult.Status.SUCCESS)).containsExactlyInAnyOrderElementsOf(serials);
        assertThat(fake.activityRequests).hasSize(3);
        assertThat(fake.activityRequests.get(0).path("data").path("attributes").path("activityType").asText())
                .isEqualTo("ASSIGN_DEVICES");
        assertThat(sleeps).hasSize(6).allMatch(d -> d.equals(Duration.ofSeconds(2)));
        assertThat(serials).allMatch(s -> SERVER.equals(fake.assignedServerOf(s)));

        AssignmentResult back = abm.unassignDevices(SERVER, serials.subList(0, 2));
        assertThat(back.withStatus(AssignmentResult.Status.SUCCESS)).hasSize(2);
        assertThat(fake.assignedServerOf(serials.get(0))).isNull();
        assertThat(fake.assignedServerOf(serials.get(2))).isEqualTo(SERVER);
    }

    @Test
    void aPartlyFailedActivityIsCheckedDeviceByDevice() throws Exception {
        List<String> serials = fake.addDevices(2, SERVER, 0);
        AbmApiClient abm = client();
        List<String> asked = new ArrayList<>(serials);
        asked.add("UNKNOWNSERIAL");
        AssignmentResult r = abm.assignDevices(OTHER_SERVER, asked);
        assertThat(r.withStatus(AssignmentResult.Status.SUCCESS)).containsExactlyInAnyOrderElementsOf(serials);
        assertThat(r.withStatus(AssignmentResult.Status.NOT_ACCESSIBLE)).containsExactly("UNKNOWNSERIAL");
    }

    @Test
    void anActivityStillRunningWhenPollingStopsIsPending() throws Exception {
        List<String> serials = fake.addDevices(3, SERVER, 0);
        fake.activityPolls(1000);
        AbmApiClient abm = client();
        AssignmentResult r = abm.assignDevices(SERVER, serials);
        assertThat(r.withStatus(AssignmentResult.Status.PENDING)).containsExactlyInAnyOrderElementsOf(serials);
        assertThat(sleeps).hasSize(5);

        OrgDeviceActivity created = abm.createActivity(OrgDeviceActivity.Type.UNASSIGN_DEVICES, SERVER, serials);
        assertThat(created.finished()).isFalse();
        assertThat(abm.activity(created.id()).status()).isEqualTo("IN_PROGRESS");
    }

    @Test
    void anActivityForAnUnknownServerIsAnApiError() throws Exception {
        List<String> serials = fake.addDevices(1, SERVER, 0);
        assertThatThrownBy(() -> client().assignDevices("NOSUCHSERVER", serials))
                .isInstanceOfSatisfying(AbmApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
        assertThat(Optional.ofNullable(fake.assignedServerOf(serials.get(0)))).isEmpty();
    }
}
