package dev.orchardmdm.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.testing.ScepTestClient;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.engine.SessionSecret;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.EnrollmentSessionRepository;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End-to-end: a real server (SQLite and PostgreSQL) and simulated devices that enroll through
 * SCEP, check in with signed messages or mTLS-proxy headers, and answer commands — plus the
 * hostile cases.
 */
class DeviceEndToEndTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir;
    private static final Map<DatabaseKind, TestServer> SERVERS = new EnumMap<>(DatabaseKind.class);

    static synchronized TestServer server(DatabaseKind kind) throws Exception {
        TestServer s = SERVERS.get(kind);
        if (s == null) {
            Path d = dir.resolve(kind.name());
            java.nio.file.Files.createDirectories(d);
            s = TestServer.start(DBS, kind, d, "\"mdm\": {\"mtls_proxy\": true}");
            SERVERS.put(kind, s);
        }
        return s;
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    /**
     * A device that installs the enrollment's MDM profile as an admin downloads it (a fresh session
     * each time, not pinned to a device), checks its signature, and gets its identity through SCEP with the profile's subject and challenge.
     */
    static DeviceSimulator enrolled(TestServer s, DeviceSimulator.Mode mode) throws Exception {
        DeviceSimulator device = DeviceSimulator.random(s.http, s.baseUrl()).mode(mode);
        Map<String, PlistDict> payloads = device.installProfile(s.adminMdmProfile(), s.profileSigner());
        PlistDict mdm = payloads.get("com.apple.mdm");
        assertThat(mdm.requireString("Topic")).isEqualTo(TestServer.TOPIC);
        assertThat(mdm.requireString("ServerURL")).isEqualTo("https://mdm.orchard.test/public/mdm/connect/");
        assertThat(mdm.requireString("CheckInURL")).isEqualTo("https://mdm.orchard.test/public/mdm/checkin/");
        assertThat(mdm.bool("SignMessage").orElse(false)).isFalse(); // this server runs behind an mTLS proxy
        assertThat(mdm.requireString("IdentityCertificateUUID"))
                .isEqualTo(payloads.get("com.apple.security.scep").requireString("PayloadUUID"));
        assertThat(device.identity().certificate().getSubjectX500Principal().getName()).contains("CN=MDM$OTA$");
        return device;
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void enrollsChecksInAndTakesCommandsInBothIdentityModes(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        for (DeviceSimulator.Mode mode : DeviceSimulator.Mode.values()) {
            DeviceSimulator device = enrolled(s, mode);
            assertThat(device.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
            // a repeated Authenticate is answered, not a 500
            assertThat(device.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
            assertThat(device.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);
            EnrolledDevice record = s.context.store().devices().findByUdid(device.udid()).orElseThrow();
            assertThat(record.pushMagic()).isNotNull();
            assertThat(record.canBePushed()).isTrue();
            assertThat(record.certFingerprint()).isEqualTo(
                    dev.orchardmdm.crypto.keys.Certificates.sha256Fingerprint(device.identity().certificate()));

            // FileVault escrow: the PRK in SecurityInfo is decrypted with the device's escrow key
            var escrow = new dev.orchardmdm.server.engine.FileVaultEscrowKeys(s.context.store()).escrowIdentity(record);
            device.fileVault(escrow.certificate(), "ABCD-EFGH-IJKL-MNOP-QRST-UVWX");

            // inventory is collected after enrollment
            assertThat(device.drain(10).body()).isEmpty();
            assertThat(device.answered()).containsExactly("DeviceInformation", "SecurityInfo");
            record = s.context.store().devices().findByUdid(device.udid()).orElseThrow();
            assertThat(record.name()).isEqualTo("Yolo");
            assertThat(record.model()).isEqualTo("VirtualMac2,1");
            assertThat(record.platform()).isEqualTo("macOS");
            assertThat(record.osVersion()).isEqualTo("13.0");
            assertThat(record.appleSilicon()).isTrue();
            assertThat(record.supervised()).isTrue();
            assertThat(record.filevaultEnabled()).isTrue();
            assertThat(s.context.store().devices().secretString(record.id(), DeviceSecret.FILEVAULT_PRK))
                    .contains("ABCD-EFGH-IJKL-MNOP-QRST-UVWX");
            assertThat(s.context.store().devices().securityInfo(record.id())).get().asString()
                    .contains("FDE_Enabled").doesNotContain("FDE_PersonalRecoveryKeyCMS");
            // nothing more while the inventory is fresh
            assertThat(device.idle().body()).isEmpty();

            // an admin command with a secret: the PIN is sent, escrowed on ack, never stored in the plist
            var queued = s.server.services().engine().commands().queue(CommandTarget.device(record),
                    Commands.deviceLock().pin("123456").message("lost").build(), Set.of("PIN"), null, null);
            assertThat(new String(queued.commandPlist(), StandardCharsets.UTF_8)).doesNotContain("123456");
            DeviceSimulator.Reply reply = device.idle();
            PlistDict command = reply.plist();
            assertThat(command.requireDict("Command").requireString("PIN")).isEqualTo("123456");
            assertThat(device.connect(device.answer(command)).status()).isEqualTo(200);
            assertThat(s.context.store().devices().secretString(record.id(), DeviceSecret.DEVICE_LOCK_PIN))
                    .contains("123456");
            assertThat(s.context.store().commands().findByUuid(queued.uuid()).orElseThrow().answered()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void checkinMessages(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator device = enrolled(s, DeviceSimulator.Mode.SIGNED);
        device.authenticate(TestServer.TOPIC);
        device.tokenUpdate(TestServer.TOPIC);
        byte[] token = "bootstrap-token-secret".getBytes(StandardCharsets.UTF_8);
        assertThat(device.checkin(PlistDict.of("MessageType", "SetBootstrapToken", "UDID", device.udid(),
                "BootstrapToken", token)).status()).isEqualTo(200);
        DeviceSimulator.Reply got = device.checkin(PlistDict.of("MessageType", "GetBootstrapToken", "UDID",
                device.udid()));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.plist().requireData("BootstrapToken")).isEqualTo(token);
        EnrolledDevice record = s.context.store().devices().findByUdid(device.udid()).orElseThrow();
        assertThat(record.bootstrapTokenEscrowed()).isTrue();

        assertThat(device.checkin(PlistDict.of("MessageType", "UserAuthenticate", "UDID", device.udid(),
                "UserID", "A1B2", "UserShortName", "alice")).status()).isEqualTo(410);
        DeviceSimulator.Reply getToken = device.checkin(PlistDict.of("MessageType", "GetToken", "UDID", device.udid(),
                "TokenServiceType", "com.apple.maid"));
        assertThat(getToken.status()).isEqualTo(400);
        assertThat(getToken.text()).contains("GetToken is not supported");

        DeviceSimulator.Reply tokens = device.checkin(PlistDict.of("MessageType", "DeclarativeManagement", "UDID",
                device.udid(), "Endpoint", "tokens"));
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.text()).contains("SyncTokens").contains("DeclarationsToken");
        DeviceSimulator.Reply items = device.checkin(PlistDict.of("MessageType", "DeclarativeManagement", "UDID",
                device.udid(), "Endpoint", "declaration-items"));
        assertThat(items.text()).contains("\"Activations\":[]").contains("\"Management\":[]");
        assertThat(device.checkin(PlistDict.of("MessageType", "DeclarativeManagement", "UDID", device.udid(),
                "Endpoint", "status", "Data", "{\"StatusItems\": {\"device\": {}}}".getBytes(StandardCharsets.UTF_8)))
                .status()).isEqualTo(200);
        assertThat(s.server.services().statusReports().latest(device.udid())).get()
                .extracting(r -> r.json()).asString().contains("StatusItems");
        assertThat(device.checkin(PlistDict.of("MessageType", "DeclarativeManagement", "UDID", device.udid(),
                "Endpoint", "status", "Data", "not json".getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(400);

        DeviceSimulator.Reply rts = device.checkin(PlistDict.of("MessageType", "ReturnToService", "UDID",
                device.udid()));
        assertThat(rts.plist().requireDict("ReturnToService").requireBool("Enabled")).isFalse();

        // user channel
        assertThat(device.checkin(PlistDict.builder().put("MessageType", "TokenUpdate").put("UDID", device.udid())
                .put("UserID", "B3F1-USER").put("UserShortName", "bob").put("UserLongName", "Bob")
                .put("Topic", TestServer.TOPIC).put("Token", new byte[] {9, 9}).put("PushMagic", "M").build())
                .status()).isEqualTo(200);
        assertThat(s.context.store().users().listForDevice(record.id())).hasSize(1);
        assertThat(device.connect(PlistDict.of("UDID", device.udid(), "UserID", "B3F1-USER", "Status", "Idle"))
                .status()).isEqualTo(200);

        assertThat(device.checkin(PlistDict.of("MessageType", "CheckOut", "UDID", device.udid())).status())
                .isEqualTo(200);
        assertThat(s.context.store().devices().findById(record.id()).orElseThrow().checkoutAt()).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void hostileRequestsAreRefusedAndChangeNothing(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator a = enrolled(s, DeviceSimulator.Mode.SIGNED);
        a.authenticate(TestServer.TOPIC);
        a.tokenUpdate(TestServer.TOPIC);
        a.drain(10);

        // a bound session reused by another device (same certificate, other UDID)
        DeviceSimulator b = DeviceSimulator.random(s.http, s.baseUrl()).identity(a.identity());
        assertThat(b.authenticate(TestServer.TOPIC).status()).isEqualTo(403);
        assertThat(b.idle().status()).isEqualTo(403);
        assertThat(s.context.store().devices().findByUdid(b.udid())).isEmpty();

        // a forged certificate: same session secret in the CN, issued by a foreign CA
        String cn = a.identity().certificate().getSubjectX500Principal().getName();
        TestPki foreign = TestPki.create("Foreign CA");
        KeyAndChain forged = foreign.issueDevice(cn.replaceAll("^CN=([^,]*),.*$", "$1"), "Orchard", a.serial());
        DeviceSimulator f = new DeviceSimulator(s.http, s.baseUrl(), a.udid(), a.serial()).identity(forged);
        assertThat(f.idle().status()).isEqualTo(403);
        assertThat(f.mode(DeviceSimulator.Mode.MTLS_PROXY).idle().status()).isEqualTo(403);

        // a second enrolled device may not report results of A's commands
        DeviceSimulator c = enrolled(s, DeviceSimulator.Mode.SIGNED);
        c.authenticate(TestServer.TOPIC);
        c.tokenUpdate(TestServer.TOPIC);
        c.drain(10);
        EnrolledDevice recordA = s.context.store().devices().findByUdid(a.udid()).orElseThrow();
        var queued = s.server.services().engine().commands().queue(CommandTarget.device(recordA),
                Commands.profileList(true));
        PlistDict commandForA = a.idle().plist();
        PlistDict stolen = c.answer(commandForA);
        assertThat(c.connect(stolen).status()).isEqualTo(403);
        assertThat(s.context.store().commands().findByUuid(queued.uuid()).orElseThrow().answered()).isFalse();
        // an unknown command and a non-UUID CommandUUID are refused
        assertThat(c.connect(PlistDict.of("UDID", c.udid(), "Status", "Acknowledged", "CommandUUID",
                UUID.randomUUID().toString())).status()).isEqualTo(400);
        assertThat(c.connect(PlistDict.of("UDID", c.udid(), "Status", "Acknowledged", "CommandUUID", "nope"))
                .status()).isEqualTo(400);
        // A's own answer is accepted
        assertThat(a.connect(a.answer(commandForA)).status()).isEqualTo(200);
        assertThat(s.context.store().commands().findByUuid(queued.uuid()).orElseThrow().answered()).isTrue();

        // a signature over another body, a missing signature, a garbage signature
        byte[] body = PlistDict.of("UDID", a.udid(), "Status", "Idle").toXml();
        String otherSig = TestPki.mdmSignature("other".getBytes(StandardCharsets.UTF_8), a.identity(),
                TestPki.SignatureStyle.DEVICE);
        assertThat(raw(s, "/public/mdm/connect/", body, "Mdm-Signature", otherSig)).isEqualTo(403);
        assertThat(raw(s, "/public/mdm/connect/", body, null, null)).isEqualTo(403);
        assertThat(raw(s, "/public/mdm/connect/", body, "Mdm-Signature", "!!!")).isEqualTo(400);

        // malformed and oversized bodies
        assertThat(a.put("/public/mdm/connect/", "<plist><dict><key>".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(400);
        assertThat(a.put("/public/mdm/checkin/", PlistDict.of("MessageType", "Nope", "UDID", a.udid()).toXml())
                .status()).isEqualTo(400);
        String entity = "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY x \"y\">]><plist><dict><key>UDID</key>"
                + "<string>&x;</string></dict></plist>";
        assertThat(a.put("/public/mdm/connect/", entity.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(a.put("/public/mdm/connect/", new byte[3 * 1024 * 1024]).status()).isEqualTo(413);

        // a blocked device is turned away with 401, on purpose
        s.context.store().devices().block(recordA.id());
        assertThat(a.idle().status()).isEqualTo(401);
        s.context.store().devices().unblock(recordA.id());
        assertThat(a.idle().status()).isEqualTo(200);

        // SCEP: a challenge that is no session, and a CSR naming another session, are refused
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl());
        assertThat(d.enrollScep("CN=MDM$OTA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .status()).isEqualTo("2");
        EnrollmentSessionRepository.Started other = s.context.store().enrollmentSessions().start(
                dev.orchardmdm.store.SessionKind.OTA, s.enrollment.id(), dev.orchardmdm.store.SessionStatus.PHASE_1,
                null, null);
        EnrollmentSessionRepository.Started mine = s.context.store().enrollmentSessions().start(
                dev.orchardmdm.store.SessionKind.OTA, s.enrollment.id(), dev.orchardmdm.store.SessionStatus.PHASE_1,
                null, null);
        assertThat(d.enrollScep("CN=MDM$OTA$" + other.secret(), mine.secret()).status()).isEqualTo("2");
    }

    private static int raw(TestServer s, String path, byte[] body, String header, String value) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.baseUrl() + path))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        if (header != null) {
            b.header(header, value);
        }
        return s.http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
