package dev.orchardmdm.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.server.api.ApiTestClient;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The platform of a device is known from its first messages, not only once its inventory arrives: a Mac enrolled
 * over the air can be locked with a PIN at once (the admin API refuses a PIN for a device of unknown platform).
 */
class PlatformEndToEndTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir;
    private static ServersByKind servers;

    static synchronized TestServer server(DatabaseKind kind) throws Exception {
        if (servers == null) {
            servers = new ServersByKind(DBS, dir, "", Set.of("mdm.add_devicecommand", "mdm.view_enrolleddevice"));
        }
        return servers.server(kind);
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    /**
     * The OTA phase-2 attributes of a real macOS 13 virtual Mac (Zentral's Apple-signed
     * {@code tests/mdm/testdata/ota_playload_phase_2}, as decoded by its {@code tests/mdm/test_crypto.py}; also in
     * mdm-protocol's test captures), with this device's identifiers and the challenge it was given.
     */
    static PlistDict realMacAttributes(DeviceSimulator device, String challenge) {
        return PlistDict.builder().put("CHALLENGE", challenge).put("IMEI", "").put("MEID", "")
                .put("NotOnConsole", false).put("PRODUCT", "VirtualMac2,1").put("SERIAL", device.serial())
                .put("UDID", device.udid()).put("UserID", "D9DD912C-1B1E-413F-86A5-3BE29F13AB2D")
                .put("UserLongName", "admin").put("UserShortName", "admin").put("VERSION", "22A380").build();
    }

    /** OTA phases 1 to 3 with {@code attributes}, then the MDM profile installed (the device holds its identity). */
    static void enrollOverTheAir(TestServer s, DeviceSimulator device, java.util.function.Function<String, PlistDict>
            attributes) throws Exception {
        DeviceSimulator.Reply phase1 = device.get("/public/mdm/ota_enrollments/" + s.enrollment.secret() + "/profile/");
        assertThat(phase1.status()).isEqualTo(200);
        String challenge = PlistReader.withDefaults().readDictionary(dev.orchardmdm.crypto.cms.SignedMessages
                .verify(phase1.body(), null, 1 << 20).content()).requireDict("PayloadContent").requireString("Challenge");
        KeyAndChain appleSigned = TestServer.APPLE.issueDevice(device.udid(), "Apple Inc.", null);
        DeviceSimulator.Reply phase2 = device.post("/public/mdm/ota_enroll/",
                DeviceSimulator.signAttached(attributes.apply(challenge).toXml(), appleSigned));
        assertThat(phase2.status()).as(phase2.text()).isEqualTo(200);
        device.installProfile(phase2.body(), s.profileSigner());
        DeviceSimulator.Reply phase3 = device.post("/public/mdm/ota_enroll/",
                DeviceSimulator.signAttached(attributes.apply(challenge).toXml(), device.identity()));
        assertThat(phase3.status()).as(phase3.text()).isEqualTo(200);
        device.installProfile(phase3.body(), s.profileSigner());
    }

    static ApiTestClient.Reply lock(TestServer s, DatabaseKind kind, EnrolledDevice d, String body) {
        return new ApiTestClient(s.baseUrl()).post("/api/mdm/devices/" + d.id() + "/lock/", servers.token(kind), body);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aMacEnrolledOverTheAirIsLockedWithAPinBeforeItsInventoryArrives(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator mac = DeviceSimulator.random(s.http, s.baseUrl());
        enrollOverTheAir(s, mac, challenge -> realMacAttributes(mac, challenge));
        assertThat(mac.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(mac.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);

        EnrolledDevice record = s.context.store().devices().findByUdid(mac.udid()).orElseThrow();
        assertThat(mac.answered()).isEmpty();                  // no DeviceInformation answered yet
        assertThat(record.platform()).isEqualTo("macOS");

        ApiTestClient.Reply locked = lock(s, kind, record, "{\"pin\": \"123456\", \"message\": \"Call IT\"}");
        assertThat(locked.status()).as(String.valueOf(locked.json())).isEqualTo(201);
        UUID uuid = UUID.fromString(locked.json().get("uuid").asText());
        assertThat(s.context.store().commands().secretArguments(uuid)).containsEntry("PIN", "123456");
        ApiTestClient.Reply noPin = lock(s, kind, record, "{\"message\": \"Call IT\"}");
        assertThat(noPin.status()).isEqualTo(400);
        assertThat(noPin.json().toString()).contains("required for a macOS device");

        // the Mac receives the lock with its PIN on its next connect
        PlistDict command = mac.idle().plist();
        while (!"DeviceLock".equals(command.requireDict("Command").requireString("RequestType"))) {
            command = mac.connect(mac.answer(command)).plist();
        }
        assertThat(command.requireDict("Command").requireString("PIN")).isEqualTo("123456");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theAttestedProductNamesThePlatformWhenAuthenticateDoesNot(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator mac = DeviceSimulator.random(s.http, s.baseUrl());
        enrollOverTheAir(s, mac, challenge -> realMacAttributes(mac, challenge));
        // an Authenticate that names no product or model: the attested PRODUCT decides
        assertThat(mac.checkin(bareAuthenticate(mac, "13.0")).status()).isEqualTo(200);
        EnrolledDevice record = s.context.store().devices().findByUdid(mac.udid()).orElseThrow();
        assertThat(record.platform()).isEqualTo("macOS");
        assertThat(lock(s, kind, record, "{\"pin\": \"654321\"}").status()).isEqualTo(201);

        // an iPhone (PRODUCT of a real iPhone's phase-2 request) gets no PIN
        DeviceSimulator iphone = DeviceSimulator.random(s.http, s.baseUrl());
        enrollOverTheAir(s, iphone, challenge -> PlistDict.of("CHALLENGE", challenge, "LANGUAGE", "de-DE",
                "PRODUCT", "iPhone10,1", "SERIAL", iphone.serial(), "UDID", iphone.udid(), "VERSION", "20H343"));
        assertThat(iphone.checkin(bareAuthenticate(iphone, "16.7.8")).status()).isEqualTo(200);
        EnrolledDevice phone = s.context.store().devices().findByUdid(iphone.udid()).orElseThrow();
        assertThat(phone.platform()).isEqualTo("iOS");
        ApiTestClient.Reply refused = lock(s, kind, phone, "{\"pin\": \"654321\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().toString()).contains("A PIN can only be set on a macOS device");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theInventoryRefinesThePlatform(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator ipad = DeviceSimulator.random(s.http, s.baseUrl());
        enrollOverTheAir(s, ipad, challenge -> PlistDict.of("CHALLENGE", challenge, "PRODUCT", "iPhone10,1",
                "SERIAL", ipad.serial(), "UDID", ipad.udid(), "VERSION", "20H343"));
        assertThat(ipad.checkin(bareAuthenticate(ipad, "16.7.8")).status()).isEqualTo(200);
        EnrolledDevice record = s.context.store().devices().findByUdid(ipad.udid()).orElseThrow();
        assertThat(record.platform()).isEqualTo("iOS");
        assertThat(ipad.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);

        // its DeviceInformation says iPad: the platform follows the inventory
        DeviceSimulator.Reply reply = ipad.idle();
        while (reply.status() == 200 && reply.body().length > 0) {
            PlistDict command = reply.plist();
            PlistDict answer = ipad.answer(command);
            if (answer.has("QueryResponses")) {
                answer = answer.with("QueryResponses", answer.requireDict("QueryResponses")
                        .with("ProductName", "iPad8,3").with("Model", "iPad8,3").with("ModelName", "iPad"));
            }
            reply = ipad.connect(answer);
        }
        assertThat(s.context.store().devices().findById(record.id()).orElseThrow().platform()).isEqualTo("iPadOS");
    }

    /** An Authenticate that carries only what every platform sends (the iOS shape: no product, model or name). */
    static PlistDict bareAuthenticate(DeviceSimulator device, String osVersion) {
        return PlistDict.of("MessageType", "Authenticate", "Topic", TestServer.TOPIC, "UDID", device.udid(),
                "SerialNumber", device.serial(), "OSVersion", osVersion, "BuildVersion", "20H343");
    }
}
