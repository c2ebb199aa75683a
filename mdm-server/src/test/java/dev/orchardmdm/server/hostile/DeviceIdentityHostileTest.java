package dev.orchardmdm.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.e2e.TestServer;
import dev.orchardmdm.server.engine.SessionSecret;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.Enrollment;
import dev.orchardmdm.store.EnrollmentSessionRepository;
import dev.orchardmdm.store.EnrollmentSpec;
import dev.orchardmdm.store.EnrollmentType;
import dev.orchardmdm.store.SessionKind;
import dev.orchardmdm.store.SessionStatus;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile devices against a real server (signed-message mode) on SQLite and PostgreSQL: each
 * request below is what an attacker holding an enrollment secret, a device certificate or a
 * captured request would send. Each gets a clear 4xx and changes no device, session, enrollment,
 * command or outbox row (the audit log, which records every refusal, is the only table that moves).
 */
class DeviceIdentityHostileTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir;
    private static final TestServer.PerKind SERVERS = new TestServer.PerKind("");
    /** The tables a device request may change; the audit log is left out on purpose. */
    private static final List<String> TABLES = List.of("enrolled_devices", "enrollment_sessions", "enrolled_users",
            "enrollments", "command_queue", "command_history", "push_outbox", "ddm_status_reports");

    static TestServer server(DatabaseKind kind) throws Exception {
        return SERVERS.get(DBS, kind, dir);
    }

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Every row of the tables a device request may change, as text (binary as hex). */
    static Map<String, List<Map<String, String>>> snapshot(TestServer s) {
        Map<String, List<Map<String, String>>> all = new LinkedHashMap<>();
        for (String table : TABLES) {
            all.put(table, s.context.database().jdbi().withHandle(h -> h.createQuery("SELECT * FROM " + table
                    + " ORDER BY 1").mapToMap().list()).stream().map(row -> {
                        Map<String, String> text = new LinkedHashMap<>();
                        row.forEach((k, v) -> text.put(k, v instanceof byte[] b ? HexFormat.of().formatHex(b)
                                : String.valueOf(v)));
                        return text;
                    }).toList());
        }
        return all;
    }

    /** Runs a hostile request, checks its status and that no row changed. */
    static DeviceSimulator.Reply refused(TestServer s, int status, Attempt attempt) throws Exception {
        Map<String, List<Map<String, String>>> before = snapshot(s);
        DeviceSimulator.Reply reply = attempt.run();
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(snapshot(s)).isEqualTo(before);
        return reply;
    }

    interface Attempt {
        DeviceSimulator.Reply run() throws Exception;
    }

    /** A device certificate of the (test) Apple iPhone Device CA for this device. */
    static KeyAndChain appleKey(DeviceSimulator d) {
        return TestServer.APPLE.issueDevice("iPhone " + d.udid(), "Apple Inc.", null);
    }

    /** A device enrolled over the air (pinned session), authenticated, token updated, inventory drained. */
    static DeviceSimulator otaEnrolled(TestServer s) throws Exception {
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl());
        d.enrollOta(s.enrollment.secret(), appleKey(d), s.profileSigner());
        assertThat(d.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(d.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);
        d.drain(10);
        return d;
    }

    /** A device whose identity comes from an admin-downloaded profile (unpinned session), not yet authenticated. */
    static DeviceSimulator withAdminProfile(TestServer s) throws Exception {
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl());
        d.installProfile(s.adminMdmProfile(), s.profileSigner());
        return d;
    }

    static DeviceSimulator.Reply setBootstrapToken(DeviceSimulator d, byte[] token) throws Exception {
        return d.checkin(PlistDict.of("MessageType", "SetBootstrapToken", "UDID", d.udid(), "BootstrapToken", token));
    }

    static DeviceSimulator.Reply getBootstrapToken(DeviceSimulator d, String udid) throws Exception {
        return d.checkin(PlistDict.of("MessageType", "GetBootstrapToken", "UDID", udid));
    }

    /** An identity from the server's SCEP CA for a fresh OTA session, with this validity. */
    static KeyAndChain scepIdentity(TestServer s, Instant notBefore, Instant notAfter) throws Exception {
        KeyAndChain ca = s.context.identities().scepCa();
        EnrollmentSessionRepository.Started session = s.server.services().enrollmentSessions()
                .startForMdmProfile(s.enrollment, null, null);
        KeyPair keys = KeyPairs.rsa(2048);
        var cert = new CertificateBuilder("CN=" + SessionSecret.mdmCommonName("OTA", session.secret()) + ",O=Orchard",
                keys.getPublic()).validity(notBefore, notAfter).keyUsage(KeyUsage.digitalSignature)
                .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth).issuedBy(ca.certificate(), ca.privateKey());
        return new KeyAndChain(keys.getPrivate(), List.of(cert, ca.certificate()));
    }

    /** The device escrows a bootstrap token (SetBootstrapToken) and the admin side a FileVault PRK; its record id. */
    static long escrow(TestServer s, DeviceSimulator d, String prk) throws Exception {
        assertThat(setBootstrapToken(d, ("token-of-" + d.udid()).getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
        long id = record(s, d).id();
        s.context.store().devices().storeSecret(id, DeviceSecret.FILEVAULT_PRK, prk);
        assertThat(s.context.store().devices().secret(id, DeviceSecret.BOOTSTRAP_TOKEN)).isPresent();
        return id;
    }

    static EnrolledDevice record(TestServer s, DeviceSimulator d) {
        return s.context.store().devices().findByUdid(d.udid()).orElseThrow();
    }

    // ---- issue 13 defect 1: session <-> UDID binding --------------------------------------------

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anUnpinnedSessionCannotTakeOverAnEnrolledDevicesUdid(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator victim = otaEnrolled(s);
        byte[] token = "victim-bootstrap-token".getBytes(StandardCharsets.UTF_8);
        assertThat(setBootstrapToken(victim, token).status()).isEqualTo(200);

        // the attacker's identity is genuine (an admin-downloaded profile), its session not pinned yet
        DeviceSimulator attacker = withAdminProfile(s);
        DeviceSimulator impostor = new DeviceSimulator(s.http, s.baseUrl(), victim.udid(), victim.serial())
                .identity(attacker.identity());
        refused(s, 403, () -> impostor.authenticate(TestServer.TOPIC));
        refused(s, 403, () -> getBootstrapToken(impostor, victim.udid()));

        // the real device is not superseded and still reads its own token
        assertThat(victim.idle().status()).isEqualTo(200);
        assertThat(getBootstrapToken(victim, victim.udid()).plist().requireData("BootstrapToken")).isEqualTo(token);
        // the attacker's session is still usable for its own device only
        assertThat(attacker.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(getBootstrapToken(attacker, attacker.udid()).plist().data("BootstrapToken")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aPinnedSessionRefusesAnotherUdid(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator victim = otaEnrolled(s);
        // the attacker's own OTA enrollment, pinned to its own UDID by its attestation
        DeviceSimulator attacker = DeviceSimulator.random(s.http, s.baseUrl());
        attacker.enrollOta(s.enrollment.secret(), appleKey(attacker), s.profileSigner());
        DeviceSimulator impostor = new DeviceSimulator(s.http, s.baseUrl(), victim.udid(), attacker.serial())
                .identity(attacker.identity());
        refused(s, 403, () -> impostor.authenticate(TestServer.TOPIC));
        // nor a UDID nobody enrolled
        DeviceSimulator stranger = DeviceSimulator.random(s.http, s.baseUrl()).identity(attacker.identity());
        refused(s, 403, () -> stranger.authenticate(TestServer.TOPIC));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void bootstrapTokenIsNotReadableThroughAnotherDevicesSession(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator victim = otaEnrolled(s);
        assertThat(setBootstrapToken(victim, "secret-token".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        DeviceSimulator attacker = otaEnrolled(s);
        refused(s, 403, () -> getBootstrapToken(attacker, victim.udid()));
        // nor can it overwrite the victim's token
        DeviceSimulator impostor = new DeviceSimulator(s.http, s.baseUrl(), victim.udid(), victim.serial())
                .identity(attacker.identity());
        refused(s, 403, () -> setBootstrapToken(impostor, "attacker".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCheckedOutDeviceClaimedByAnUnpinnedSessionLosesItsSecrets(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator victim = otaEnrolled(s);
        long id = escrow(s, victim, "PRK-OF-THE-VICTIM");
        assertThat(victim.checkin(PlistDict.of("MessageType", "CheckOut", "UDID", victim.udid())).status())
                .isEqualTo(200);

        // a checked-out device may enroll again with a manual profile, but nothing escrowed before follows it
        DeviceSimulator claimer = withAdminProfile(s);
        DeviceSimulator again = new DeviceSimulator(s.http, s.baseUrl(), victim.udid(), victim.serial())
                .identity(claimer.identity());
        assertThat(again.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(getBootstrapToken(again, victim.udid()).plist().data("BootstrapToken")).isEmpty();
        for (DeviceSecret secret : DeviceSecret.values()) {
            assertThat(s.context.store().devices().secret(id, secret)).as(secret.name()).isEmpty();
        }
        // and the old session stays dead
        refused(s, 403, victim::idle);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anAttestedReEnrollmentKeepsTheAdminsSecretsButNotTheBootstrapToken(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator device = otaEnrolled(s);
        long id = escrow(s, device, "PRK-1");

        DeviceSimulator again = new DeviceSimulator(s.http, s.baseUrl(), device.udid(), device.serial());
        again.enrollOta(s.enrollment.secret(), appleKey(again), s.profileSigner());
        assertThat(again.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        assertThat(getBootstrapToken(again, again.udid()).plist().data("BootstrapToken")).isEmpty();
        assertThat(s.context.store().devices().secretString(id, DeviceSecret.FILEVAULT_PRK)).contains("PRK-1");
        refused(s, 403, () -> getBootstrapToken(device, device.udid()));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aReEnrollmentSessionOnlyServesTheDeviceItWasIssuedFor(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator victim = otaEnrolled(s);
        DeviceSimulator other = otaEnrolled(s);
        // a re-enrollment session issued for "other"; and one issued for no device at all
        for (String pinned : new String[] {other.udid(), null}) {
            EnrollmentSessionRepository.Started re = s.context.store().enrollmentSessions().start(
                    SessionKind.REENROLLMENT, s.enrollment.id(), SessionStatus.STARTED, null, pinned);
            DeviceSimulator holder = new DeviceSimulator(s.http, s.baseUrl(), victim.udid(), victim.serial());
            assertThat(holder.enrollScep("CN=" + SessionSecret.mdmCommonName("RE", re.secret()) + ",O=Orchard",
                    re.secret()).status()).isEqualTo("0");
            refused(s, 403, () -> holder.authenticate(TestServer.TOPIC));
        }
        assertThat(victim.idle().status()).isEqualTo(200);
    }

    // ---- issue 13 defect 2: only the documented per-type flows yield an identity ----------------

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void thePublicMdmProfileDownloadIsGoneForEveryEnrollmentType(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        Enrollment ade = s.context.store().enrollments().create(new EnrollmentSpec(EnrollmentType.DEP,
                "ade-" + kind, "ADE", s.pushCertificate.id(), null, null, null, List.of(), List.of(), false, null,
                "17.0", null));
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl());
        for (String secret : List.of(s.enrollment.secret(), ade.secret())) {
            refused(s, 404, () -> d.get("/public/mdm/enrollments/" + secret + "/mdm_profile/"));
        }
        // the ADE flow still wants its signed MachineInfo, and the OTA flow its phase 2
        refused(s, 400, () -> d.post("/public/mdm/dep_enroll/" + ade.secret() + "/", new byte[0]));
    }

    // ---- issue 13 defect 3: Apple attestations -------------------------------------------------

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aDeveloperCertificateUnderAppleRootIsNoDeviceAttestation(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl());
        KeyAndChain developer = TestServer.APPLE_DEVELOPER.issueDevice("Apple Development: Mallory", "Mallory", null);
        refused(s, 403, () -> d.post("/public/mdm/ota_enroll/",
                DeviceSimulator.signAttached(d.otaAttributes(s.enrollment.secret()).toXml(), developer)));
        Enrollment ade = s.context.store().enrollments().create(new EnrollmentSpec(EnrollmentType.DEP,
                "ade-dev-" + kind, "ADE", s.pushCertificate.id(), null, null, null, List.of(), List.of(), false, null,
                null, null));
        PlistDict machineInfo = PlistDict.builder().put("SERIAL", d.serial()).put("UDID", d.udid())
                .put("PRODUCT", "Mac14,3").put("OS_VERSION", "14.4").build();
        refused(s, 403, () -> d.post("/public/mdm/dep_enroll/" + ade.secret() + "/",
                DeviceSimulator.signAttached(machineInfo.toXml(), developer)));
        // the root itself signing is refused as well
        refused(s, 403, () -> d.post("/public/mdm/dep_enroll/" + ade.secret() + "/",
                DeviceSimulator.signAttached(machineInfo.toXml(), TestServer.APPLE_ROOT.ca())));
        // a genuine device certificate is accepted
        assertThat(d.post("/public/mdm/dep_enroll/" + ade.secret() + "/",
                DeviceSimulator.signAttached(machineInfo.toXml(), appleKey(d))).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void expiredAndNotYetValidDeviceAttestationsAreRefused(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl());
        Instant now = Instant.now();
        KeyAndChain expired = TestServer.APPLE.issue(TestPki.subject("iPhone " + d.udid(), "Apple Inc.", null),
                KeyPairs.rsa(2048), now.minus(Duration.ofDays(800)), now.minus(Duration.ofDays(1)));
        KeyAndChain future = TestServer.APPLE.issue(TestPki.subject("iPhone " + d.udid(), "Apple Inc.", null),
                KeyPairs.rsa(2048), now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(800)));
        for (KeyAndChain signer : List.of(expired, future)) {
            refused(s, 403, () -> d.post("/public/mdm/ota_enroll/",
                    DeviceSimulator.signAttached(d.otaAttributes(s.enrollment.secret()).toXml(), signer)));
        }
    }

    // ---- device identities on check-in and connect ---------------------------------------------

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void identitiesOfAForeignCaAreRefused(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        EnrollmentSessionRepository.Started session = s.server.services().enrollmentSessions()
                .startForMdmProfile(s.enrollment, null, null);
        // a certificate naming a real, ready session, but issued by another CA
        KeyAndChain forged = TestPki.create("Evil CA").issueDevice(SessionSecret.mdmCommonName("OTA",
                session.secret()), "Orchard", null);
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl()).identity(forged);
        refused(s, 403, () -> d.authenticate(TestServer.TOPIC));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void expiredAndNotYetValidIdentitiesAreRefused(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        Instant now = Instant.now();
        KeyAndChain expired = scepIdentity(s, now.minus(Duration.ofDays(400)), now.minus(Duration.ofHours(1)));
        KeyAndChain future = scepIdentity(s, now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(400)));
        for (KeyAndChain identity : List.of(expired, future)) {
            DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl()).identity(identity);
            refused(s, 403, () -> d.authenticate(TestServer.TOPIC));
        }
        // the same session with a current certificate would have been accepted
        KeyAndChain current = scepIdentity(s, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)));
        assertThat(DeviceSimulator.random(s.http, s.baseUrl()).identity(current).authenticate(TestServer.TOPIC)
                .status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aSessionIsDeadAfterCheckOut(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator d = otaEnrolled(s);
        assertThat(d.checkin(PlistDict.of("MessageType", "CheckOut", "UDID", d.udid())).status()).isEqualTo(200);
        refused(s, 403, d::idle);
        refused(s, 403, () -> d.authenticate(TestServer.TOPIC));
        refused(s, 403, () -> d.tokenUpdate(TestServer.TOPIC));
        refused(s, 403, () -> setBootstrapToken(d, "late".getBytes(StandardCharsets.UTF_8)));
        refused(s, 403, () -> d.checkin(PlistDict.of("MessageType", "CheckOut", "UDID", d.udid())));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aBlockedDeviceChangesNothing(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator d = otaEnrolled(s);
        EnrolledDevice device = record(s, d);
        s.server.services().engine().commands().queue(CommandTarget.device(device), Commands.profileList(true));
        PlistDict command = d.idle().plist();
        s.context.store().devices().block(device.id());
        refused(s, 401, () -> d.connect(d.answer(command)));
        refused(s, 401, d::idle);
        refused(s, 401, () -> d.tokenUpdate(TestServer.TOPIC));
        refused(s, 401, () -> setBootstrapToken(d, "blocked".getBytes(StandardCharsets.UTF_8)));
        refused(s, 401, () -> d.authenticate(TestServer.TOPIC));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aReportForAnotherDevicesCommandIsRefused(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator victim = otaEnrolled(s);
        DeviceSimulator attacker = otaEnrolled(s);
        s.server.services().engine().commands().queue(CommandTarget.device(record(s, victim)),
                Commands.profileList(true));
        PlistDict command = victim.idle().plist();
        PlistDict forged = attacker.answer(command);
        refused(s, 403, () -> attacker.connect(forged));
        // the victim's own answer still counts
        assertThat(victim.connect(victim.answer(command)).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aSignatureReplayedOverAnotherBodyIsRefused(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        DeviceSimulator d = otaEnrolled(s);
        byte[] idle = PlistDict.of("UDID", d.udid(), "Status", "Idle").toXml();
        String signature = TestPki.mdmSignature(idle, d.identity(), TestPki.SignatureStyle.DEVICE);
        byte[] other = PlistDict.builder().put("MessageType", "TokenUpdate").put("Topic", TestServer.TOPIC)
                .put("UDID", d.udid()).put("Token", new byte[] {6, 6, 6}).put("PushMagic", "attacker").build().toXml();
        for (String path : List.of("/public/mdm/checkin/", "/public/mdm/connect/")) {
            refused(s, 403, () -> {
                HttpResponse<byte[]> r = s.http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                        .header("Content-Type", "application/x-apple-aspen-mdm").header("Mdm-Signature", signature)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(other)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                return new DeviceSimulator.Reply(r.statusCode(), r.body(), null);
            });
        }
    }
}
