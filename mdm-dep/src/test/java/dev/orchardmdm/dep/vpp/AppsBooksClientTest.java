package dev.orchardmdm.dep.vpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.dep.AbmApiException;
import dev.orchardmdm.dep.AbmAuthException;
import dev.orchardmdm.dep.AbmDataChangedException;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.AbmTokenFormatException;
import dev.orchardmdm.dep.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppsBooksClientTest {

    private static final String TOKEN_JSON = "{\"token\":\"VGhpcyBpcyBub3QgYSByZWFsIHRva2Vu\","
            + "\"expDate\":\"2027-09-26T08:30:39-0700\",\"orgName\":\"Yolo Fomo 2022\"}";
    private static final String S_TOKEN = Base64.getEncoder().encodeToString(TOKEN_JSON.getBytes(StandardCharsets.UTF_8));

    private MockWebServer server;
    private FakeVppServer fake;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeVppServer(S_TOKEN, 3, 10);
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private AppsBooksClient client() throws AbmTokenFormatException {
        return builder(AppsBooksClient.builder(VppToken.parse(S_TOKEN + "\n"))).build();
    }

    private AppsBooksClient.Builder builder(AppsBooksClient.Builder b) {
        return b.baseUrl(server.url("/mdm/v2")).retryPolicy(new RetryPolicy(2, Duration.ofSeconds(10),
                Duration.ofMillis(100), sleeps::add));
    }

    @Test
    void parsesVppTokenFiles() throws Exception {
        VppToken token = VppToken.parse(S_TOKEN + "\r\n");
        assertThat(token.sToken()).isEqualTo(S_TOKEN);
        assertThat(token.orgName()).isEqualTo("Yolo Fomo 2022");
        assertThat(token.expiresAt()).isEqualTo(Instant.parse("2027-09-26T15:30:39Z"));
        assertThat(token.toString()).doesNotContain("VGhpcyBpcyBub3QgYSByZWFsIHRva2Vu").contains("Yolo Fomo 2022");
        assertThatThrownBy(() -> VppToken.parse("%%% not base64")).isInstanceOf(AbmTokenFormatException.class);
        assertThatThrownBy(() -> VppToken.parse(Base64.getEncoder().encodeToString("{\"token\":\"x\"}".getBytes())))
                .isInstanceOf(AbmTokenFormatException.class).hasMessageContaining("orgName");
        assertThatThrownBy(() -> VppToken.parse(Base64.getEncoder().encodeToString("[]".getBytes())))
                .isInstanceOf(AbmTokenFormatException.class);
    }

    @Test
    void readsAndClaimsTheClientConfig() throws Exception {
        AppsBooksClient vpp = client();
        ClientConfig config = vpp.clientConfig();
        assertThat(config.uId()).isEqualTo("981060278089131045");
        assertThat(config.locationName()).isEqualTo("Yolo Fomo 2022");
        assertThat(config.countryIso2ACode()).isEqualTo("DE");
        assertThat(config.tokenExpirationDate()).isEqualTo(Instant.parse("2023-09-26T08:30:39Z"));
        assertThat(config.mdm()).map(MdmInfo::name).contains("Zentral");
        assertThat(config.managedByAnother("orchard-location-1")).isTrue();
        assertThat(config.subscribedNotificationTypes()).containsExactly("ASSET_COUNT", "ASSET_MANAGEMENT");
        assertThat(config.toString()).doesNotContain("qhLNx6TXKrQPTHJLGn4yO6SjJ5Av78iYLbgSU1hujO6GJbgsseKeCazDpDBcIjGZ");

        ClientConfig claimed = vpp.updateClientConfig(new ClientConfigUpdate(
                new MdmInfo("orchard-location-1", "mdm.example.com", "Orchard"),
                "https://mdm.example.com/public/mdm/locations/orchard-location-1/notify/", "nat_secret",
                List.of("ASSET_MANAGEMENT", "ASSET_COUNT")));
        assertThat(claimed.managedByAnother("orchard-location-1")).isFalse();
        assertThat(claimed.notificationUrl()).endsWith("/orchard-location-1/notify/");
        assertThat(claimed.notificationAuthToken()).isEqualTo("nat_secret");
        assertThat(vpp.clientConfig().mdm()).map(MdmInfo::name).contains("Orchard");
    }

    @Test
    void associateIsChunkedToMaxSerialNumbers() throws Exception {
        fake.addAssets(2);
        AppsBooksClient vpp = client();
        assertThat(vpp.serviceConfig().maxSerialNumbers()).isEqualTo(3);
        List<String> serials = IntStream.range(0, 7).mapToObj(i -> "S" + i).collect(Collectors.toList());
        List<String> events = vpp.associate(List.of(AssetRef.standard("361000000")), serials);
        assertThat(events).hasSize(3).doesNotHaveDuplicates();
        assertThat(fake.managementCalls).extracting(b -> b.path("serialNumbers").size()).containsExactly(3, 3, 1);
        assertThat(fake.managementCalls.get(0).path("assets").get(0).path("pricingParam").asText()).isEqualTo("STDQ");
        assertThat(vpp.disassociate(List.of(AssetRef.standard("361000001")), List.of("S1"))).hasSize(1);
        assertThat(fake.requests).hasValue(5); // one service/config, then 3 + 1 calls
    }

    @Test
    void appleErrorNumbersAreMapped() throws Exception {
        AbmApiException e = (AbmApiException) org.assertj.core.api.Assertions.catchThrowable(
                () -> client().associate(List.of(AssetRef.standard("999")), List.of("S1")));
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(AppsBooksError.of(e)).contains(AppsBooksError.LICENSE_NOT_FOUND);
        assertThat(AppsBooksError.LICENSE_NOT_FOUND.kind()).isEqualTo(AppsBooksError.Kind.LICENSE);
        assertThat(e).hasMessageContaining("9610").hasMessageContaining("License not found");
        assertThat(AppsBooksError.of(9622)).contains(AppsBooksError.INVALID_AUTHENTICATION_TOKEN);
        assertThat(AppsBooksError.of(1234)).isEmpty();
    }

    @Test
    void anInvalidTokenIsATypedAuthError() {
        AppsBooksClient vpp = builder(AppsBooksClient.builder(() -> "not-the-token")).build();
        assertThatThrownBy(vpp::clientConfig).isInstanceOf(AbmAuthException.class)
                .satisfies(e -> assertThat(AppsBooksError.of((AbmException) e))
                        .contains(AppsBooksError.INVALID_AUTHENTICATION_TOKEN));
        // the supplier gave the same token again: exactly one retry was considered, none sent
        assertThat(fake.unauthorized).hasValue(1);
    }

    @Test
    void aReplacedTokenIsReloadedOnceOn9622() throws Exception {
        AtomicReference<String> stored = new AtomicReference<>(S_TOKEN);
        AppsBooksClient vpp = builder(AppsBooksClient.builder(stored::get)).build();
        assertThat(vpp.clientConfig().uId()).isEqualTo("981060278089131045");
        String renewed = Base64.getEncoder().encodeToString(TOKEN_JSON.replace("Yolo", "Renewed").getBytes());
        fake.replaceToken(S_TOKEN, renewed);
        stored.set(renewed);
        assertThat(vpp.clientConfig().uId()).isEqualTo("981060278089131045");
        assertThat(fake.unauthorized).hasValue(1);
    }

    @Test
    void assetsArePagedAndAVersionChangeIsDetected() throws Exception {
        fake.addAssets(25);
        AppsBooksClient vpp = client();
        PagedResult<Asset> all = vpp.assets();
        assertThat(all.pages()).isEqualTo(3);
        assertThat(all.items()).hasSize(25).extracting(Asset::adamId).doesNotHaveDuplicates();
        assertThat(all.versionId()).isEqualTo("v1");
        Asset first = all.items().get(0);
        assertThat(first.availableCount()).isEqualTo(9);
        assertThat(first.deviceAssignable()).isTrue();
        assertThat(first.supportedPlatforms()).containsExactly("iOS", "macOS");
        assertThat(vpp.asset(first.ref())).contains(first);

        fake.changeVersionAfter(1);
        assertThatThrownBy(vpp::assets).isInstanceOf(AbmDataChangedException.class).hasMessageContaining("versionId");
    }

    @Test
    void assignmentsArePaged() throws Exception {
        fake.addAssets(8);
        AppsBooksClient vpp = client();
        PagedResult<Assignment> all = vpp.assignments(null);
        assertThat(all.items()).hasSize(16);
        assertThat(all.pages()).isEqualTo(2);
        PagedResult<Assignment> one = vpp.assignments("361000003");
        assertThat(one.items()).hasSize(2);
        assertThat(one.items()).filteredOn(Assignment::isDeviceAssignment).extracting(Assignment::serialNumber)
                .containsExactly("SERIAL3");
    }

    @Test
    void rateLimitsAreHonoured() throws Exception {
        fake.rateLimit(1, "3");
        assertThat(client().clientConfig().uId()).isNotBlank();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void hostileAnswersEndWithTypedErrors() throws Exception {
        AppsBooksClient vpp = builder(AppsBooksClient.builder(VppToken.parse(S_TOKEN))).maxPages(5).build();
        fake.script(new MockResponse().setBody("{\"uId\": "));
        assertThatThrownBy(vpp::clientConfig).isInstanceOf(AbmResponseException.class);
        fake.script(new MockResponse().setBody("{\"locationName\": \"x\"}"));
        assertThatThrownBy(vpp::clientConfig).isInstanceOf(AbmResponseException.class).hasMessageContaining("uId");
        fake.script(new MockResponse().setBody("{\"limits\": {}}"));
        assertThatThrownBy(vpp::serviceConfig).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("maxSerialNumbers");
        // endless paging: always one more page
        MockResponse[] endless = IntStream.range(0, 20).mapToObj(i -> new MockResponse()
                .setBody("{\"assets\": [], \"versionId\": \"v\", \"nextPageIndex\": " + (i + 1) + "}"))
                .toArray(MockResponse[]::new);
        fake.script(endless);
        assertThatThrownBy(vpp::assets).isInstanceOf(AbmResponseException.class).hasMessageContaining("5 pages");
    }

    @Test
    void aPageIndexThatDoesNotMoveIsRefused() throws Exception {
        fake.script(new MockResponse().setBody("{\"assets\": [], \"versionId\": \"v\", \"nextPageIndex\": 0}"));
        assertThatThrownBy(() -> client().assets()).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("does not move");
    }

    @Test
    void aSuccessStatusCarryingAnErrorNumberIsAnError() {
        fake.script(FakeVppServer.error(200, 9603, "Internal error."));
        assertThatThrownBy(() -> client().clientConfig()).isInstanceOf(AbmApiException.class)
                .satisfies(e -> assertThat(AppsBooksError.of((AbmException) e)).contains(AppsBooksError.INTERNAL_ERROR));
    }
}
