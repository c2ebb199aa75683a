package dev.orchardmdm.dep.ade;

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
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdeClientTest {

    private MockWebServer server;
    private FakeAdeServer fake;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofMillis(500),
            sleeps::add);

    @BeforeEach
    void start() throws IOException {
        fake = new FakeAdeServer();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private AdeClient client(AdeServerToken token) {
        return AdeClient.builder(token).baseUrl(server.url("/")).retryPolicy(policy).build();
    }

    private AdeClient client() {
        return client(FakeAdeServer.token());
    }

    @Test
    void opensASignedSessionAndReadsTheAccount() throws Exception {
        AdeClient ade = client();
        AdeAccount account = ade.account();
        assertThat(account.serverName()).isEqualTo("Orchard Test Server");
        assertThat(account.serverUuid()).isEqualTo("677cd0a8-4a1b-4b06-9b2b-6f9b2e4a1f00");
        assertThat(account.orgName()).isEqualTo("Orchard Org");
        assertThat(account.maximumLimit("/server/devices")).contains(1000L);
        // the rotated session token from the first answer is used for the second call: no new session needed
        ade.account();
        assertThat(fake.sessionRequests).hasValue(1);
        assertThat(fake.apiRequests).hasValue(2);
    }

    @Test
    void aWrongConsumerSecretIsRefused() {
        AdeServerToken t = FakeAdeServer.token();
        AdeServerToken wrong = new AdeServerToken(t.consumerKey(), "CS_not_the_secret", t.accessToken(),
                t.accessSecret(), t.accessTokenExpiry());
        assertThatThrownBy(() -> client(wrong).account()).isInstanceOf(AbmAuthException.class)
                .satisfies(e -> assertThat(((AbmException) e).httpStatus()).isEqualTo(401));
        assertThat(fake.apiRequests).hasValue(0);
    }

    @Test
    void aWrongAccessSecretIsRefused() {
        AdeServerToken t = FakeAdeServer.token();
        AdeServerToken wrong = new AdeServerToken(t.consumerKey(), t.consumerSecret(), t.accessToken(),
                "AS_wrong", t.accessTokenExpiry());
        assertThatThrownBy(() -> client(wrong).account()).isInstanceOf(AbmAuthException.class);
    }

    @Test
    void anExpiredTokenIsNotEvenSent() {
        AdeServerToken t = FakeAdeServer.token();
        AdeServerToken expired = new AdeServerToken(t.consumerKey(), t.consumerSecret(), t.accessToken(),
                t.accessSecret(), Instant.now().minusSeconds(1));
        assertThatThrownBy(() -> client(expired).account()).isInstanceOf(AbmAuthException.class)
                .satisfies(e -> assertThat(((AbmException) e).errorCode()).contains("TOKEN_EXPIRED"));
        assertThat(fake.sessionRequests).hasValue(0);
    }

    @Test
    void termsNotSignedIsATypedAuthError() {
        fake.refuseSessionWith("T_C_NOT_SIGNED");
        assertThatThrownBy(() -> client().account()).isInstanceOf(AbmAuthException.class)
                .satisfies(e -> assertThat(((AbmException) e).errorCode()).contains("T_C_NOT_SIGNED"));
    }

    @Test
    void fullSyncPagesWithCursorsThenDeltaSyncReportsChanges() throws Exception {
        fake.addDevices(2_500);
        AdeClient ade = client();
        List<AdeDevice> seen = new ArrayList<>();
        SyncResult full = ade.syncDevices(null, seen::addAll);
        assertThat(full.full()).isTrue();
        assertThat(full.pages()).isEqualTo(3);
        assertThat(full.devices()).isEqualTo(2_500);
        assertThat(full.cursor()).isNotBlank();
        assertThat(seen).extracting(AdeDevice::serialNumber).doesNotHaveDuplicates().hasSize(2_500);
        assertThat(seen.get(0).model()).isEqualTo("MacBook Pro");
        assertThat(seen.get(0).productFamily()).isEqualTo("Mac");
        assertThat(seen.get(0).status()).isEqualTo(SourceDevice.DeviceStatus.ASSIGNED);
        assertThat(seen.get(0).profileStatus()).isEqualTo(AdeDevice.ProfileStatus.EMPTY);
        assertThat(seen.get(0).rawJson()).contains("\"serial_number\":\"C00000000000\"");
        assertThat(fake.sessionRequests).hasValue(1);

        fake.addDevice("NEWSERIAL001");
        fake.modifyDevice("C00000000007", "TAG-7");
        fake.removeDevice("C00000000009");
        List<AdeDevice> changes = new ArrayList<>();
        SyncResult delta = ade.syncDevices(full.cursor(), changes::addAll);
        assertThat(delta.full()).isFalse();
        assertThat(delta.cursorExpired()).isFalse();
        assertThat(changes).extracting(AdeDevice::serialNumber)
                .containsExactly("NEWSERIAL001", "C00000000007", "C00000000009");
        assertThat(changes).extracting(AdeDevice::opType).containsExactly(AdeDevice.OpType.ADDED,
                AdeDevice.OpType.MODIFIED, AdeDevice.OpType.DELETED);
        assertThat(changes.get(1).assetTag()).isEqualTo("TAG-7");
        assertThat(changes.get(2).status()).isEqualTo(SourceDevice.DeviceStatus.UNASSIGNED);
        assertThat(changes.get(2).changedAt()).contains(Instant.parse("2026-11-26T06:00:00Z"));

        // nothing changed since: an empty delta, and its cursor still works
        List<AdeDevice> none = new ArrayList<>();
        SyncResult again = ade.syncDevices(delta.cursor(), none::addAll);
        assertThat(none).isEmpty();
        assertThat(again.devices()).isZero();
        assertThat(fake.sessionRequests).hasValue(1);
    }

    @Test
    void anExpiredCursorFallsBackToAFullFetch() throws Exception {
        fake.addDevices(1_200);
        AdeClient ade = client();
        SyncResult first = ade.syncDevices(null, page -> { });
        fake.expireCursors();
        Set<String> serials = new HashSet<>();
        SyncResult second = ade.syncDevices(first.cursor(), page -> page.forEach(d -> serials.add(d.serialNumber())));
        assertThat(second.full()).isTrue();
        assertThat(second.cursorExpired()).isTrue();
        assertThat(serials).hasSize(1_200);
        // the new cursor works for a delta
        assertThat(ade.syncDevices(second.cursor(), page -> { }).full()).isFalse();
    }

    @Test
    void anUnknownCursorIsATypedApiErrorNotAFullFetch() {
        assertThatThrownBy(() -> client().syncDevices("NOT-A-CURSOR", page -> { }))
                .isInstanceOf(AbmApiException.class)
                .satisfies(e -> assertThat(((AbmException) e).errorCode()).contains("INVALID_CURSOR"));
    }

    @Test
    void anExpiredSessionMidWalkIsRenewed() throws Exception {
        fake.addDevices(3_000);
        AdeClient ade = client();
        List<Integer> pageSizes = new ArrayList<>();
        SyncResult result = ade.syncDevices(null, page -> {
            pageSizes.add(page.size());
            if (pageSizes.size() == 1) {
                fake.expireSessions();
            }
        });
        assertThat(result.devices()).isEqualTo(3_000);
        assertThat(pageSizes).containsExactly(1000, 1000, 1000);
        assertThat(fake.sessionRequests).hasValue(2);
    }

    @Test
    void sessionRenewalIsBounded() {
        fake.refuseEverySession(true);
        AdeClient ade = AdeClient.builder(FakeAdeServer.token()).baseUrl(server.url("/")).retryPolicy(policy)
                .maxSessionRenewals(2).build();
        assertThatThrownBy(ade::account).isInstanceOf(AbmAuthException.class).hasMessageContaining("2 new session");
        assertThat(fake.sessionRequests).hasValue(3);
        assertThat(fake.apiRequests).hasValue(3);
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        fake.rateLimit(2, 429, "2");
        assertThat(client().account().orgName()).isEqualTo("Orchard Org");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(fake.rateLimitedAnswers).hasValue(2);
    }

    @Test
    void serviceUnavailableWithoutRetryAfterBacksOffExponentiallyThenGivesUp() {
        fake.rateLimit(10, 503, null);
        assertThatThrownBy(() -> client().account()).isInstanceOf(AbmRateLimitException.class)
                .satisfies(e -> assertThat(((AbmRateLimitException) e).httpStatus()).isEqualTo(503));
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(2000));
        assertThat(fake.rateLimitedAnswers).hasValue(4);
    }

    @Test
    void aRetryAfterLongerThanThePolicyAllowsIsReturnedToTheCaller() {
        fake.rateLimit(1, 429, "3600");
        assertThatThrownBy(() -> client().account()).isInstanceOf(AbmRateLimitException.class)
                .satisfies(e -> assertThat(((AbmRateLimitException) e).retryAfter()).isEqualTo(Duration.ofHours(1)));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void profilesAreDefinedReadAssignedAndRemoved() throws Exception {
        fake.addDevices(1_005);
        AdeClient ade = client();
        List<String> serials = IntStream.range(0, 1_005).mapToObj(i -> String.format("C0%010d", i))
                .collect(Collectors.toList());
        List<String> withUnknown = new ArrayList<>(serials);
        withUnknown.add("UNKNOWN00001");
        AdeProfile profile = AdeProfile.builder("Orchard", "https://mdm.example.com/public/mdm/dep/1/enroll/")
                .supervised(true).mandatory(true).mdmRemovable(false).awaitDeviceConfigured(true)
                .department("IT").supportPhoneNumber("+1 555 0100").skipSetupItems(List.of("Siri", "Privacy"))
                .devices(withUnknown).build();
        DefinedProfile defined = ade.defineProfile(profile);
        assertThat(defined.profileUuid()).matches("[0-9A-F]{32}");
        assertThat(defined.assignment().withStatus(AssignmentResult.Status.SUCCESS)).hasSize(1_005);
        assertThat(defined.assignment().withStatus(AssignmentResult.Status.NOT_ACCESSIBLE))
                .containsExactly("UNKNOWN00001");
        assertThat(fake.profileOf("C00000001004")).isEqualTo(defined.profileUuid());
        assertThat(fake.profile(defined.profileUuid()).has("devices")).isFalse();

        AdeProfile read = ade.getProfile(defined.profileUuid());
        assertThat(read.profileName()).isEqualTo("Orchard");
        assertThat(read.isSupervised()).isTrue();
        assertThat(read.isMdmRemovable()).isFalse();
        assertThat(read.allowPairing()).isNull();
        assertThat(read.skipSetupItems()).containsExactly("Siri", "Privacy");

        AssignmentResult removed = ade.removeProfile(List.of("C00000000001", "UNKNOWN00002"));
        assertThat(removed.statuses()).containsEntry("C00000000001", AssignmentResult.Status.SUCCESS)
                .containsEntry("UNKNOWN00002", AssignmentResult.Status.NOT_ACCESSIBLE);
        assertThat(fake.profileOf("C00000000001")).isNull();

        DeviceSource<?> source = ade;
        AssignmentResult assigned = source.assignDevices(defined.profileUuid(), List.of("C00000000001"));
        assertThat(assigned.enrollmentRef()).isEqualTo(defined.profileUuid());
        assertThat(assigned.statuses()).containsEntry("C00000000001", AssignmentResult.Status.SUCCESS);
        assertThat(fake.profileOf("C00000000001")).isEqualTo(defined.profileUuid());

        assertThatThrownBy(() -> ade.getProfile("0000")).isInstanceOf(AbmApiException.class)
                .satisfies(e -> assertThat(((AbmException) e).errorCode()).contains("PROFILE_NOT_FOUND"));
    }

    @Test
    void detailsAndDisown() throws Exception {
        fake.addDevices(3);
        AdeClient ade = client();
        DeviceDetails details = ade.deviceDetails(List.of("C00000000000", "NOPE"));
        assertThat(details.devices()).containsOnlyKeys("C00000000000");
        assertThat(details.devices().get("C00000000000").os()).isEqualTo("OSX");
        assertThat(details.failures()).containsEntry("NOPE", "NOT_ACCESSIBLE");

        AssignmentResult disowned = ade.disownDevices(List.of("C00000000002"));
        assertThat(disowned.statuses()).containsEntry("C00000000002", AssignmentResult.Status.SUCCESS);
        assertThat(fake.deviceCount()).isEqualTo(2);
    }

    @Test
    void theSyncCodeCanUseAnyDeviceSource() throws Exception {
        fake.addDevices(5);
        DeviceSource<?> source = client();
        List<String> serials = new ArrayList<>();
        SyncResult r = source.syncDevices(null, (List<? extends SourceDevice> page) ->
                page.forEach(d -> serials.add(d.serialNumber())));
        assertThat(r.full()).isTrue();
        assertThat(serials).hasSize(5);
    }

    // ---------------------------------------------------------------------------------- hostile answers

    @Test
    void malformedJsonIsATypedError() {
        fake.script(new MockResponse().setBody("{\"devices\": [ {\"serial_number\": "));
        assertThatThrownBy(() -> client().syncDevices(null, p -> { })).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void missingFieldsAreTypedErrors() {
        fake.script(new MockResponse().setBody("{\"devices\": [], \"cursor\": \"x\"}"));
        assertThatThrownBy(() -> client().syncDevices(null, p -> { })).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("more_to_follow");
        fake.script(new MockResponse().setBody("{\"devices\": [{\"model\": \"Mac\"}], \"more_to_follow\": false}"));
        assertThatThrownBy(() -> client().syncDevices(null, p -> { })).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("serial_number");
        fake.script(new MockResponse().setBody("{\"org_name\": \"x\"}"));
        assertThatThrownBy(() -> client().account()).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("server_name");
        fake.script(new MockResponse().setBody("[]"));
        assertThatThrownBy(() -> client().account()).isInstanceOf(AbmResponseException.class);
    }

    @Test
    void endlessPagingIsCutShort() {
        // the service always says more_to_follow with a fresh cursor and no devices
        MockResponse[] endless = IntStream.range(0, 50).mapToObj(i -> new MockResponse()
                .setBody("{\"devices\": [], \"cursor\": \"c" + i + "\", \"more_to_follow\": true}"))
                .toArray(MockResponse[]::new);
        fake.script(endless);
        assertThatThrownBy(() -> client().syncDevices(null, p -> { })).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("empty pages");
        assertThat(fake.apiRequests.get()).isLessThan(10);
    }

    @Test
    void aCursorThatDoesNotMoveIsCutShort() {
        String page = "{\"devices\": [{\"serial_number\": \"A\"}], \"cursor\": \"same\", \"more_to_follow\": true}";
        fake.script(new MockResponse().setBody(page), new MockResponse().setBody(page), new MockResponse().setBody(page));
        assertThatThrownBy(() -> client().syncDevices(null, p -> { })).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("did not move");
    }

    @Test
    void thePageBoundEndsAWalkThatNeverEnds() {
        fake.addDevices(10);
        AdeClient ade = AdeClient.builder(FakeAdeServer.token()).baseUrl(server.url("/")).retryPolicy(policy)
                .pageLimit(1).maxPages(4).build();
        assertThatThrownBy(() -> ade.syncDevices(null, p -> { })).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("more than 4 pages");
    }

    @Test
    void oversizedBodiesAreRefused() {
        fake.script(new MockResponse().setBody("{\"devices\": [], \"pad\": \"" + "x".repeat(4096)
                + "\", \"more_to_follow\": false}"));
        AdeClient ade = AdeClient.builder(FakeAdeServer.token()).baseUrl(server.url("/")).retryPolicy(policy)
                .maxBodyBytes(2048).build();
        assertThatThrownBy(() -> ade.syncDevices(null, p -> { })).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void moreDevicesThanTheLimitIsATypedError() {
        fake.script(new MockResponse().setBody("{\"devices\": [{\"serial_number\": \"A\"},{\"serial_number\": \"B\"}],"
                + " \"more_to_follow\": false}"));
        AdeClient ade = AdeClient.builder(FakeAdeServer.token()).baseUrl(server.url("/")).retryPolicy(policy)
                .pageLimit(1).build();
        assertThatThrownBy(() -> ade.syncDevices(null, p -> { })).isInstanceOf(AbmResponseException.class);
    }

    @Test
    void aServerThatNeverAnswersEndsInATypedTimeout() {
        fake.script(new MockResponse().setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.NO_RESPONSE));
        AdeClient ade = AdeClient.builder(FakeAdeServer.token()).baseUrl(server.url("/")).retryPolicy(policy)
                .httpClient(new okhttp3.OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build()).build();
        assertThatThrownBy(ade::account).isInstanceOf(dev.orchardmdm.dep.AbmTransportException.class)
                .hasMessageContaining("timed out");
    }

    @Test
    void errorCodesAreReadFromPlainAndJsonBodies() {
        assertThat(AdeClient.errorCode(reply("EXPIRED_CURSOR"))).isEqualTo("EXPIRED_CURSOR");
        assertThat(AdeClient.errorCode(reply("\"INVALID_CURSOR\"\n"))).isEqualTo("INVALID_CURSOR");
        assertThat(AdeClient.errorCode(reply("{\"code\":\"T_C_NOT_SIGNED\",\"message\":\"x\"}")))
                .isEqualTo("T_C_NOT_SIGNED");
        assertThat(AdeClient.errorCode(reply("<html>oops</html>"))).isNull();
    }

    private static dev.orchardmdm.dep.http.HttpExchange.Reply reply(String body) {
        return new dev.orchardmdm.dep.http.HttpExchange.Reply(400, okhttp3.Headers.of(),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
