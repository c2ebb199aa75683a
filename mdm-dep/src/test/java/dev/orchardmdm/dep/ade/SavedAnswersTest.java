package dev.orchardmdm.dep.ade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.SourceDevice;
import dev.orchardmdm.dep.support.Fixtures;
import dev.orchardmdm.dep.vpp.ClientConfig;
import java.net.URI;
import java.time.Instant;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** Answers of Apple's services parsed from their JSON text, without an HTTP exchange, as an embedder would. */
class SavedAnswersTest {

    @Test
    void parsesARealAccountAnswer() throws Exception {
        AdeAccount account = AdeAccount.parse(Fixtures.capture("ade_account.json"));
        assertThat(account.serverName()).isEqualTo("MY-DEV-LOCAL (server.petarov.net)");
        assertThat(account.serverUuid()).isEqualTo("F6E1E81A93837E1E87D6F4D99E235117");
        assertThat(account.orgName()).isEqualTo("petarov GmbH");
        assertThat(account.orgType()).isEqualTo("org");
        assertThat(account.orgVersion()).isEqualTo("v2");
        assertThat(account.urls()).hasSize(3);
        assertThat(account.maximumLimit("/server/devices")).contains(1000L);
        assertThat(account.maximumLimit("/session")).isEmpty();
    }

    @Test
    void parsesRealDevicePages() throws Exception {
        DevicePage full = DevicePage.parse(Fixtures.capture("ade_server_devices.json"));
        assertThat(full.moreToFollow()).isFalse();
        assertThat(full.fetchedUntil()).isEqualTo(Instant.parse("2025-04-28T08:03:42Z"));
        assertThat(full.cursor()).startsWith("MDovOjE7");
        assertThat(full.devices()).extracting(AdeDevice::serialNumber)
                .containsExactly("F6BRR3Z6GLK0", "M1525642873");
        assertThat(full.devices().get(0).profileStatus()).isEqualTo(AdeDevice.ProfileStatus.PUSHED);
        assertThat(full.devices().get(1).profileStatus()).isEqualTo(AdeDevice.ProfileStatus.EMPTY);

        DevicePage sync = DevicePage.parse(Fixtures.capture("ade_devices_sync.json"));
        assertThat(sync.devices()).extracting(AdeDevice::opType)
                .containsExactly(AdeDevice.OpType.MODIFIED, AdeDevice.OpType.DELETED);
        assertThat(sync.devices().get(1).status()).isEqualTo(SourceDevice.DeviceStatus.UNASSIGNED);
    }

    @Test
    void parsesRealDeviceDetailsWithTheirFailures() throws Exception {
        DeviceDetails details = DeviceDetails.parse(Fixtures.capture("ade_device_details.json"));
        assertThat(details.devices()).containsOnlyKeys("B9FPP3Q6GMK7");
        assertThat(details.devices().get("B9FPP3Q6GMK7").model()).isEqualTo("iPad mini 4");
        assertThat(details.failures()).containsExactlyEntriesOf(java.util.Map.of("BNPT0GHHM7252", "NOT_ACCESSIBLE"));
    }

    @Test
    void readsTheProfileApplesAnswerWithoutTheIsPrefix() throws Exception {
        AdeProfile profile = AdeProfile.parse(Fixtures.capture("ade_profile_get.json"));
        assertThat(profile.profileName()).isEqualTo("MDM petarov");
        assertThat(profile.url()).isEqualTo("https://node.petarov.net/srv/intra");
        assertThat(profile.isSupervised()).isTrue();
        assertThat(profile.isMandatory()).isTrue();
        assertThat(profile.isMdmRemovable()).isTrue();
        assertThat(profile.isMultiUser()).isTrue();
        assertThat(profile.awaitDeviceConfigured()).isTrue();
        assertThat(profile.skipSetupItems()).hasSize(42).contains("FileVault", "SafetyAndHandling");
        // the definition form still reads
        assertThat(AdeProfile.parse("{\"profile_name\":\"p\",\"url\":\"https://m\",\"is_supervised\":false}")
                .isSupervised()).isFalse();
    }

    @Test
    void parsesTheZentralAppsAndBooksClientConfig() throws Exception {
        ClientConfig config = ClientConfig.parse(Fixtures.text("server_token_client_config_response.json"));
        assertThat(config.uId()).isNotBlank();
        assertThat(config.locationName()).isNotBlank();
    }

    @Test
    void hostileTextIsATypedErrorNamingTheAnswer() {
        assertThatThrownBy(() -> AdeAccount.parse("{\"server_name\": 12}"))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("ADE account");
        assertThatThrownBy(() -> DevicePage.parse("[1,2]"))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> DevicePage.parse("{\"devices\": []}"))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("more_to_follow");
        assertThatThrownBy(() -> DeviceDetails.parse("{\"devices\": [\"x\"]}"))
                .isInstanceOf(AbmResponseException.class);
        assertThatThrownBy(() -> AdeProfile.parse("{\"profile_name\": \"no url\"}"))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("url missing");
        assertThatThrownBy(() -> AdeProfile.parse("{\"profile_name\":\"p\",\"url\":\"u\",\"is_supervised\":[1]}"))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("field types");
        assertThatThrownBy(() -> ClientConfig.parse("{\"uId\": "))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> AdeAccount.parse(null)).isInstanceOf(AbmResponseException.class);
        String huge = "{\"x\":\"" + "a".repeat(dev.orchardmdm.dep.http.Json.MAX_TEXT_CHARS) + "\"}";
        assertThatThrownBy(() -> AdeAccount.parse(huge))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("longer than");
    }

    @Test
    void theBaseUrlMayBeAPlainUri() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new FakeAdeServer());
            server.start();
            URI base = URI.create(server.url("/").toString().replaceAll("/$", ""));
            AdeClient ade = AdeClient.builder(FakeAdeServer.token()).baseUrl(base).build();
            assertThat(ade.account().serverName()).isEqualTo("Orchard Test Server");
        }
        AdeClient.Builder builder = AdeClient.builder(FakeAdeServer.token())
                .baseUrl(URI.create("https://abm.example.test/v1"));
        assertThat(builder.baseUri()).isEqualTo(URI.create("https://abm.example.test/v1/"));
        assertThatThrownBy(() -> AdeClient.builder(FakeAdeServer.token()).baseUrl(URI.create("ftp://x.test/")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdeClient.builder(FakeAdeServer.token()).baseUrl(URI.create("relative/path")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
