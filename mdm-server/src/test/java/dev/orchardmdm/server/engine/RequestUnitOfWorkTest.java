package dev.orchardmdm.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.identity.Identity;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.EnrollmentSessionRepository;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.PushCertificateRepository;
import dev.orchardmdm.store.SessionKind;
import dev.orchardmdm.store.SessionStatus;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.MutableClock;
import dev.orchardmdm.store.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One device request, one commit: Authenticate, TokenUpdate, a connect round trip (result recorded
 * and next command marked sent) and enqueue-plus-wake each commit exactly once; the Idle with an
 * empty queue commits nothing; a refused request leaves nothing behind but its audit event.
 * Counted with {@code Database.commits()} on an engine driven on the test thread (no server, so no
 * background worker commits meanwhile).
 */
class RequestUnitOfWorkTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    private static final TestPki PKI = TestPki.create("Request unit of work test CA");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

    private record Fixture(Store store, MdmEngine engine, MdmRequest request, String udid, PushCertificate push) {
        long commits() {
            return store.database().commits();
        }

        long auditEvents(String action) throws Exception {
            return store.auditLog().list("enrolled_device", udid, action, 1000, 0).size();
        }
    }

    private Fixture fixture(DatabaseKind kind) throws Exception {
        Store store = new Store(DBS.database(kind), DBS.cipher(), clock, Duration.ofMinutes(5));
        MdmEngine engine = new MdmEngine(store, clock, (enrollmentId, json) -> { }, (device, cms) -> Optional.empty(),
                Duration.ofDays(1), List.of());
        String topic = "com.apple.mgmt.External." + UUID.randomUUID();
        KeyAndChain apns = PKI.issueDevice("APSP:" + topic, null, null);
        PushCertificate push = store.pushCertificates().create("push-" + topic, null,
                new PushCertificateRepository.Material(topic, Pem.certificate(apns.certificate()),
                        apns.privateKey().getEncoded(), apns.certificate().getNotBefore().toInstant(),
                        apns.certificate().getNotAfter().toInstant()));
        EnrollmentSessionRepository.Started session = store.enrollmentSessions().start(SessionKind.DEP, null,
                SessionStatus.STARTED, null, null);
        KeyAndChain cert = PKI.issueDevice("MDM$DEP$" + session.secret(), null, null);
        Identity identity = new Identity("MDM$DEP$" + session.secret(), null, null,
                Certificates.sha256Fingerprint(cert.certificate()), cert.certificate());
        return new Fixture(store, engine, MdmRequest.of(identity, "192.0.2.10"),
                UUID.randomUUID().toString().toUpperCase(), push);
    }

    private static CheckinMessage checkin(PlistDict dict) throws Exception {
        return CheckinMessage.parse(dict.toXml());
    }

    private static CommandReport report(PlistDict dict) throws Exception {
        return CommandReport.parse(dict.toXml());
    }

    private static PlistDict authenticate(Fixture f) {
        return PlistDict.of("MessageType", "Authenticate", "UDID", f.udid(), "Topic", f.push().topic(),
                "SerialNumber", "C02UOW" + f.udid().substring(0, 4), "Model", "MacBookPro18,3",
                "ProductName", "MacBookPro18,3", "OSVersion", "14.2.1", "BuildVersion", "23C71");
    }

    private static PlistDict tokenUpdate(Fixture f) {
        return PlistDict.of("MessageType", "TokenUpdate", "UDID", f.udid(), "Topic", f.push().topic(),
                "Token", PlistData.of(new byte[32]), "PushMagic", "magic-" + f.udid());
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void eachDeviceRequestCommitsExactlyOnce(DatabaseKind kind) throws Exception {
        Fixture f = fixture(kind);
        MdmService mdm = f.engine().service();

        long before = f.commits();
        mdm.checkin(f.request(), checkin(authenticate(f)));
        assertThat(f.commits() - before).as("Authenticate (device, session binding, audit event)").isEqualTo(1);
        assertThat(f.auditEvents("mdm.device.authenticated")).isEqualTo(1);

        before = f.commits();
        mdm.checkin(f.request(), checkin(tokenUpdate(f)));
        assertThat(f.commits() - before).as("TokenUpdate (token, session completed, two inventory commands and"
                + " their wake-ups)").isEqualTo(1);
        EnrolledDevice device = f.store().devices().findByUdid(f.udid()).orElseThrow();
        assertThat(f.store().commands().pendingCount(device.enrollmentId())).isEqualTo(2);

        // Idle: the first command is marked sent
        before = f.commits();
        MdmResponse first = mdm.connect(f.request(), report(PlistDict.of("UDID", f.udid(), "Status", "Idle")));
        assertThat(f.commits() - before).as("Idle that delivers a command").isEqualTo(1);
        String firstUuid = commandUuid(first);

        // the answer is recorded and the next command marked sent: one commit
        before = f.commits();
        MdmResponse second = mdm.connect(f.request(), report(PlistDict.of("UDID", f.udid(), "Status", "Error",
                "CommandUUID", firstUuid, "ErrorChain", List.of())));
        assertThat(f.commits() - before).as("result recorded + next command sent").isEqualTo(1);
        String secondUuid = commandUuid(second);
        assertThat(secondUuid).isNotEqualTo(firstUuid);
        assertThat(f.store().commands().findByUuid(UUID.fromString(firstUuid)).orElseThrow().answered()).isTrue();
        assertThat(f.store().commands().findByUuid(UUID.fromString(secondUuid)).orElseThrow().sentAt()).isNotNull();

        // the last answer: recorded, nothing left to send: one commit
        before = f.commits();
        MdmResponse none = mdm.connect(f.request(), report(PlistDict.of("UDID", f.udid(), "Status", "Error",
                "CommandUUID", secondUuid, "ErrorChain", List.of())));
        assertThat(none.isEmpty()).isTrue();
        assertThat(f.commits() - before).isEqualTo(1);

        // the common Idle with an empty queue (device seen recently, same address): read only
        before = f.commits();
        MdmResponse idle = mdm.connect(f.request(), report(PlistDict.of("UDID", f.udid(), "Status", "Idle")));
        assertThat(idle.isEmpty()).isTrue();
        assertThat(f.commits() - before).as("Idle with an empty queue").isZero();

        // enqueue plus wake: one commit, the command and its outbox row together
        before = f.commits();
        f.engine().commands().queue(CommandTarget.device(device), Commands.deviceInformation());
        assertThat(f.commits() - before).as("enqueue + wake").isEqualTo(1);
        assertThat(f.store().pushOutbox().list(1000).stream()
                .filter(p -> p.enrolledDeviceId() == device.id()).count()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRefusedRoundTripChangesNothingButItsAuditEvent(DatabaseKind kind) throws Exception {
        Fixture f = fixture(kind);
        MdmService mdm = f.engine().service();
        mdm.checkin(f.request(), checkin(authenticate(f)));
        mdm.checkin(f.request(), checkin(tokenUpdate(f)));
        String sent = commandUuid(mdm.connect(f.request(), report(PlistDict.of("UDID", f.udid(), "Status", "Idle"))));
        EnrolledDevice device = f.store().devices().findByUdid(f.udid()).orElseThrow();
        long refusedBefore = f.auditEvents("mdm.device.request_refused");
        // blocked after the command was sent: the answer is refused (Blocked) after markSeen and
        // recordResult ran; the unit of work rolls back, so the command stays in flight
        f.store().devices().block(device.id());
        clock.advance(Duration.ofMinutes(2));
        long before = f.commits();
        assertThatThrownBy(() -> mdm.connect(f.request(), report(PlistDict.of("UDID", f.udid(), "Status",
                "Error", "CommandUUID", sent, "ErrorChain", List.of())))).isInstanceOf(MdmException.Blocked.class);
        assertThat(f.commits() - before).as("only the refusal's audit event").isEqualTo(1);
        assertThat(f.auditEvents("mdm.device.request_refused")).isEqualTo(refusedBefore + 1);
        assertThat(f.store().commands().findByUuid(UUID.fromString(sent)).orElseThrow().answered()).isFalse();
        assertThat(f.store().devices().findById(device.id()).orElseThrow().lastSeenAt()).isEqualTo(device.lastSeenAt());
    }

    private static String commandUuid(MdmResponse response) throws Exception {
        assertThat(response.isEmpty()).isFalse();
        return PlistReader.withDefaults().readDictionary(response.body()).get("CommandUUID").toString();
    }
}
