package dev.orchardmdm.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.Enrollment;
import dev.orchardmdm.store.EnrollmentSpec;
import dev.orchardmdm.store.EnrollmentType;
import dev.orchardmdm.store.SessionStatus;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Enrollment flows against a real server (SQLite): profile download, OTA phases 1-3, ADE. */
class EnrollmentEndToEndTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir;
    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start(DBS, DatabaseKind.SQLITE, dir, "");
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void everyProfileDownloadStartsAFreshSignedSession() throws Exception {
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl());
        Map<String, PlistDict> one = d.installProfile(s.adminMdmProfile(), s.profileSigner());
        String cn1 = d.identity().certificate().getSubjectX500Principal().getName();
        DeviceSimulator e = DeviceSimulator.random(s.http, s.baseUrl());
        e.installProfile(s.adminMdmProfile(), s.profileSigner());
        String cn2 = e.identity().certificate().getSubjectX500Principal().getName();
        assertThat(cn1).isNotEqualTo(cn2);
        // signed-message mode: the profile asks the device to sign its requests
        assertThat(one.get("com.apple.mdm").requireBool("SignMessage")).isTrue();
        assertThat(one.get("com.apple.security.scep").requireDict("PayloadContent").requireString("URL"))
                .isEqualTo("https://mdm.orchard.test/public/mdm/scep");
        // the identity works: Authenticate and TokenUpdate with Mdm-Signature
        assertThat(d.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(d.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);
        // the profile cannot be reused by another device: its session is bound
        DeviceSimulator thief = DeviceSimulator.random(s.http, s.baseUrl()).identity(d.identity());
        assertThat(thief.authenticate(TestServer.TOPIC).status()).isEqualTo(403);
    }

    @Test
    void aFreshEnrollmentDropsTheOldQueue() throws Exception {
        DeviceSimulator first = DeviceSimulator.random(s.http, s.baseUrl());
        KeyAndChain appleKey = TestServer.APPLE.issueDevice("iPhone " + first.udid(), "Apple Inc.", null);
        first.enrollOta(s.enrollment.secret(), appleKey, s.profileSigner());
        first.authenticate(TestServer.TOPIC);
        first.tokenUpdate(TestServer.TOPIC);
        first.drain(10);
        var record = s.context.store().devices().findByUdid(first.udid()).orElseThrow();
        var commands = s.server.services().engine().commands();
        var erase = commands.queue(dev.orchardmdm.store.CommandTarget.device(record),
                dev.orchardmdm.protocol.Commands.eraseDevice().build());
        var later = commands.queue(dev.orchardmdm.store.CommandTarget.device(record),
                dev.orchardmdm.protocol.Commands.profileList(true));
        assertThat(first.idle().plist().requireDict("Command").requireString("RequestType")).isEqualTo("EraseDevice");

        // the erased device enrolls again over the air (same UDID, proven by its Apple attestation;
        // new profile and identity) without answering
        DeviceSimulator again = new DeviceSimulator(s.http, s.baseUrl(), first.udid(), first.serial());
        again.enrollOta(s.enrollment.secret(), appleKey, s.profileSigner());
        assertThat(again.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(s.context.store().commands().findByUuid(erase.uuid()).orElseThrow())
                .satisfies(c -> assertThat(c.answered()).isTrue())
                .satisfies(c -> assertThat(c.status()).isEqualTo(dev.orchardmdm.store.CommandStatus.ERROR))
                .satisfies(c -> assertThat(c.errorChain()).contains("enrolled again"));
        assertThat(s.context.store().commands().findByUuid(later.uuid())).isEmpty();
        again.tokenUpdate(TestServer.TOPIC);
        again.drain(10);
        assertThat(again.answered()).containsExactly("DeviceInformation", "SecurityInfo");
        // the old identity is refused now
        assertThat(first.idle().status()).isEqualTo(403);
    }

    @Test
    void otaPhasesOneToThree() throws Exception {
        DeviceSimulator iphone = DeviceSimulator.random(s.http, s.baseUrl());
        // phase 1: the Profile Service document, signed
        DeviceSimulator.Reply phase1 = iphone.get("/public/mdm/ota_enrollments/" + s.enrollment.secret() + "/profile/");
        assertThat(phase1.status()).isEqualTo(200);
        var verified = dev.orchardmdm.crypto.cms.SignedMessages.verify(phase1.body(), null, 1 << 20);
        assertThat(verified.signer()).isEqualTo(s.profileSigner());
        PlistDict service = dev.orchardmdm.protocol.PlistReader.withDefaults().readDictionary(verified.content());
        assertThat(service.requireString("PayloadType")).isEqualTo("Profile Service");
        PlistDict content = service.requireDict("PayloadContent");
        assertThat(content.requireString("URL")).isEqualTo("https://mdm.orchard.test/public/mdm/ota_enroll/");
        String challenge = content.requireString("Challenge");

        // phase 2: attributes signed by the (test) Apple iPhone Device CA -> SCEP-only profile
        KeyAndChain deviceKey = TestServer.APPLE.issueDevice("iPhone " + iphone.udid(), "Apple Inc.", null);
        byte[] signed = DeviceSimulator.signAttached(iphone.otaAttributes(challenge).toXml(), deviceKey);
        DeviceSimulator.Reply phase2 = iphone.post("/public/mdm/ota_enroll/", signed);
        assertThat(phase2.status()).isEqualTo(200);
        Map<String, PlistDict> scepOnly = iphone.installProfile(phase2.body(), s.profileSigner());
        assertThat(scepOnly).containsOnlyKeys("com.apple.security.scep");
        assertThat(iphone.identity().certificate().getSubjectX500Principal().getName()).contains("CN=OTA$");
        KeyAndChain otaIdentity = iphone.identity();

        // the OTA identity is no MDM identity
        assertThat(iphone.authenticate(TestServer.TOPIC).status()).isEqualTo(403);

        // phase 3: attributes signed with the OTA identity -> the MDM profile
        DeviceSimulator.Reply phase3 = iphone.post("/public/mdm/ota_enroll/",
                DeviceSimulator.signAttached(iphone.otaAttributes(challenge).toXml(), otaIdentity));
        assertThat(phase3.status()).isEqualTo(200);
        Map<String, PlistDict> mdm = iphone.installProfile(phase3.body(), s.profileSigner());
        assertThat(mdm).containsKeys("com.apple.mdm", "com.apple.security.scep");
        assertThat(iphone.identity().certificate().getSubjectX500Principal().getName())
                .contains("CN=MDM$OTA$").contains("2.5.4.5=");
        assertThat(iphone.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(iphone.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);

        // phase 3 again with the same OTA identity: the session moved on
        assertThat(iphone.post("/public/mdm/ota_enroll/",
                DeviceSimulator.signAttached(iphone.otaAttributes(challenge).toXml(), otaIdentity)).status())
                .isEqualTo(403);
        // unsigned, garbage, and foreign-signed requests
        assertThat(iphone.post("/public/mdm/ota_enroll/", iphone.otaAttributes(challenge).toXml()).status())
                .isEqualTo(400);
        KeyAndChain foreign = dev.orchardmdm.crypto.testing.TestPki.create("Not Apple").issueDevice("x", null, null);
        assertThat(iphone.post("/public/mdm/ota_enroll/",
                DeviceSimulator.signAttached(iphone.otaAttributes(challenge).toXml(), foreign)).status()).isEqualTo(403);
        // a wrong challenge
        assertThat(iphone.post("/public/mdm/ota_enroll/",
                DeviceSimulator.signAttached(iphone.otaAttributes("wrong").toXml(), deviceKey)).status()).isEqualTo(403);
    }

    @Test
    void adeEnrollmentAndRequiredSoftwareUpdate() throws Exception {
        Enrollment dep = s.context.store().enrollments().create(new EnrollmentSpec(EnrollmentType.DEP, "ade",
                "ADE", s.pushCertificate.id(), null, null, null, List.of(), List.of(), false, "14.4", "17.0", null));
        DeviceSimulator mac = DeviceSimulator.random(s.http, s.baseUrl());
        KeyAndChain deviceKey = TestServer.APPLE.issueDevice("Mac " + mac.udid(), "Apple Inc.", null);
        String path = "/public/mdm/dep_enroll/" + dep.secret() + "/";
        PlistDict old = PlistDict.builder().put("SERIAL", mac.serial()).put("UDID", mac.udid())
                .put("PRODUCT", "Mac14,3").put("OS_VERSION", "14.2.1").put("MDM_CAN_REQUEST_SOFTWARE_UPDATE", true)
                .build();
        DeviceSimulator.Reply refused = mac.post(path, DeviceSimulator.signAttached(old.toXml(), deviceKey));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text()).contains("\"code\":\"com.apple.softwareupdate.required\"")
                .contains("\"OSVersion\":\"14.4\"");

        PlistDict current = old.with("OS_VERSION", "14.10");
        DeviceSimulator.Reply ok = mac.post(path, DeviceSimulator.signAttached(current.toXml(), deviceKey));
        assertThat(ok.status()).isEqualTo(200);
        Map<String, PlistDict> payloads = mac.installProfile(ok.body(), s.profileSigner());
        assertThat(payloads).containsKey("com.apple.mdm");
        assertThat(mac.identity().certificate().getSubjectX500Principal().getName()).contains("CN=MDM$DEP$");
        assertThat(mac.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(mac.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);
        var record = s.context.store().devices().findByUdid(mac.udid()).orElseThrow();
        assertThat(record.depEnrollment()).isTrue();
        assertThat(s.context.store().enrollmentSessions().latestForDevice(record.id()).orElseThrow().status())
                .isEqualTo(SessionStatus.COMPLETED);

        // not signed by Apple, unknown secret, an OTA secret on the ADE path
        KeyAndChain foreign = dev.orchardmdm.crypto.testing.TestPki.create("Not Apple").issueDevice("x", null, null);
        assertThat(mac.post(path, DeviceSimulator.signAttached(current.toXml(), foreign)).status()).isEqualTo(403);
        assertThat(mac.post("/public/mdm/dep_enroll/nope/", DeviceSimulator.signAttached(current.toXml(), deviceKey))
                .status()).isEqualTo(404);
        assertThat(mac.post("/public/mdm/dep_enroll/" + s.enrollment.secret() + "/",
                DeviceSimulator.signAttached(current.toXml(), deviceKey)).status()).isEqualTo(404);

        // a blocked device may not enroll again
        s.context.store().devices().block(record.id());
        assertThat(mac.post(path, DeviceSimulator.signAttached(current.toXml(), deviceKey)).status()).isEqualTo(401);
    }
}
