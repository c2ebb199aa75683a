package dev.orchardmdm.dep.ade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.testing.DocsExamples;
import dev.orchardmdm.dep.support.Fixtures;
import dev.orchardmdm.dep.vpp.ClientConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "Answers without an HTTP exchange" example of docs/abm.md; its lines must appear, in order, in this file. */
class AbmDocsExamplesTest {
    private final Map<String, AdeDevice.ProfileStatus> seen = new HashMap<>();

    @Test
    void parsesSavedAnswers() throws Exception {
        String accountJson = Fixtures.capture("ade_account.json");
        String devicesJson = Fixtures.capture("ade_server_devices.json");
        String detailsJson = Fixtures.capture("ade_device_details.json");
        String profileJson = Fixtures.capture("ade_profile_get.json");
        String clientConfigJson = Fixtures.text("server_token_client_config_response.json");
        AdeServerToken token = FakeAdeServer.token();

        AdeAccount account = AdeAccount.parse(accountJson);
        DevicePage page = DevicePage.parse(devicesJson);
        for (AdeDevice d : page.devices()) {
            seen.put(d.serialNumber(), d.profileStatus());
        }
        DeviceDetails details = DeviceDetails.parse(detailsJson);    // details.failures(): NOT_ACCESSIBLE, ...
        AdeProfile profile = AdeProfile.parse(profileJson);
        ClientConfig location = ClientConfig.parse(clientConfigJson);
        AdeClient ade = AdeClient.builder(token).baseUrl(URI.create("https://abm-proxy.example.com/ade")).build();

        assertThat(account.orgName()).isEqualTo("petarov GmbH");
        assertThat(seen).containsEntry("F6BRR3Z6GLK0", AdeDevice.ProfileStatus.PUSHED);
        assertThat(details.failures()).containsKey("BNPT0GHHM7252");
        assertThat(profile.isSupervised()).isTrue();
        assertThat(location.uId()).isNotBlank();
        assertThat(ade).isNotNull();
    }

    @Test
    void everyLineOfTheDocsExampleIsInThisTest() throws IOException {
        DocsExamples.assertBlockIn("docs/abm.md", "### Answers without an HTTP exchange", Path.of("src", "test", "java",
                "dev", "orchardmdm", "dep", "ade", "AbmDocsExamplesTest.java"));
    }
}
