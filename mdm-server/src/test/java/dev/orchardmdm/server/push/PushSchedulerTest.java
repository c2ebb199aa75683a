package dev.orchardmdm.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.apns.MdmPush;
import dev.orchardmdm.apns.PushOutcome;
import dev.orchardmdm.store.DeviceRepository;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.PushCertificateRepository;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PushSchedulerTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    /** A gateway that answers from a table of outcomes by push token, and records what it sent. */
    static final class ScriptedGateway implements PushGateway {
        final Map<String, PushOutcome> outcomes = new ConcurrentHashMap<>();
        final List<MdmPush> sent = new CopyOnWriteArrayList<>();

        @Override
        public List<PushOutcome> send(long pushCertificateId, List<MdmPush> pushes) {
            sent.addAll(pushes);
            List<PushOutcome> out = new ArrayList<>();
            for (MdmPush p : pushes) {
                out.add(outcomes.getOrDefault(p.deviceToken(), new PushOutcome.Accepted(UUID.randomUUID().toString())));
            }
            return out;
        }
    }

    private static EnrolledDevice device(Store store, PushCertificate pc, byte[] token) throws Exception {
        String udid = UUID.randomUUID().toString().toUpperCase();
        EnrolledDevice d = store.devices().authenticate(new DeviceRepository.Authentication(udid, udid, "SER" + udid.substring(0, 6),
                null, null, "macOS", "14.0", null, pc.id(), "f" + udid, null, null, false, false));
        return store.devices().tokenUpdate(d.id(), new DeviceRepository.TokenUpdate(token, "MAGIC-" + udid, pc.topic(),
                null, null));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void sendsRecordsOutcomesAndMarksDeadTokens(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        PushCertificate pc = store.pushCertificates().create("push-" + kind, null, new PushCertificateRepository.Material(
                "com.apple.mgmt.test." + kind, "pem", new byte[] {1}, Instant.now(), Instant.now().plusSeconds(3600)));
        byte[] live = {1, 2, 3};
        byte[] dead = {4, 5, 6};
        byte[] flaky = {7, 8, 9};
        EnrolledDevice a = device(store, pc, live);
        EnrolledDevice b = device(store, pc, dead);
        EnrolledDevice c = device(store, pc, flaky);
        EnrolledDevice gone = device(store, pc, new byte[] {1, 1});
        store.devices().checkout(gone.id());
        for (EnrolledDevice d : List.of(a, b, c, gone)) {
            assertThat(store.pushOutbox().enqueue(d.id(), null, "test")).isTrue();
        }
        // a second wake-up of the same device is folded into the pending one
        assertThat(store.pushOutbox().enqueue(a.id(), null, "again")).isFalse();

        ScriptedGateway gateway = new ScriptedGateway();
        gateway.outcomes.put(HexFormat.of().formatHex(dead), new PushOutcome.TokenDead(410, "Unregistered", null));
        gateway.outcomes.put(HexFormat.of().formatHex(flaky), new PushOutcome.Retryable(503, "ServiceUnavailable", 3));
        PushScheduler scheduler = new PushScheduler(store, gateway, Clock.systemUTC(), 50, 1000,
                Duration.ofMinutes(2), Duration.ofSeconds(1));
        PushScheduler.Round round = scheduler.runOnce();
        assertThat(round.claimed()).isEqualTo(4);
        assertThat(round.accepted()).isEqualTo(1);
        assertThat(round.tokenDead()).isEqualTo(1);
        assertThat(round.retried()).isEqualTo(1);
        assertThat(round.dropped()).isEqualTo(1);
        assertThat(gateway.sent).extracting(MdmPush::pushMagic)
                .containsExactlyInAnyOrder(a.pushMagic(), b.pushMagic(), c.pushMagic());

        assertThat(store.devices().findById(a.id()).orElseThrow().lastNotifiedAt()).isNotNull();
        EnrolledDevice deadNow = store.devices().findById(b.id()).orElseThrow();
        assertThat(deadNow.pushTokenDead()).isTrue();
        assertThat(deadNow.canBePushed()).isFalse();
        // only the retryable row is left, and it is not due yet
        assertThat(store.pushOutbox().list(10)).hasSize(1).first()
                .satisfies(r -> assertThat(r.enrolledDeviceId()).isEqualTo(c.id()))
                .satisfies(r -> assertThat(r.dueAt()).isAfter(Instant.now().plusSeconds(20)));
        assertThat(scheduler.runOnce().claimed()).isZero();

        // a dead token is not pushed again until a new TokenUpdate
        store.pushOutbox().enqueue(b.id(), null, "command");
        assertThat(scheduler.runOnce().dropped()).isEqualTo(1);
        store.devices().tokenUpdate(b.id(), new DeviceRepository.TokenUpdate(new byte[] {6, 6}, "M2", pc.topic(), null, null));
        store.pushOutbox().enqueue(b.id(), null, "command");
        assertThat(scheduler.runOnce().accepted()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void twoReplicasNeverSendTheSameRow(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        PushCertificate pc = store.pushCertificates().create("replicas-" + kind, null,
                new PushCertificateRepository.Material("com.apple.mgmt.replicas." + kind, "pem", new byte[] {1},
                        Instant.now(), Instant.now().plusSeconds(3600)));
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            EnrolledDevice d = device(store, pc, new byte[] {(byte) i, 42});
            store.pushOutbox().enqueue(d.id(), null, "bulk");
            ids.add(d.id());
        }
        ScriptedGateway gateway = new ScriptedGateway();
        PushScheduler one = new PushScheduler(store, gateway, Clock.systemUTC(), 7, 10_000, Duration.ofMinutes(2),
                Duration.ofSeconds(1));
        PushScheduler two = new PushScheduler(store, gateway, Clock.systemUTC(), 7, 10_000, Duration.ofMinutes(2),
                Duration.ofSeconds(1));
        Thread t1 = new Thread(() -> drain(one));
        Thread t2 = new Thread(() -> drain(two));
        t1.start();
        t2.start();
        t1.join(30_000);
        t2.join(30_000);
        assertThat(gateway.sent).hasSize(40);
        assertThat(gateway.sent.stream().map(MdmPush::deviceToken).distinct().count()).isEqualTo(40);
        assertThat(store.pushOutbox().list(1000)).noneMatch(r -> ids.contains(r.enrolledDeviceId()));
    }

    private static void drain(PushScheduler scheduler) {
        try {
            for (int i = 0; i < 100 && scheduler.runOnce().claimed() > 0; i++) {
                Thread.onSpinWait();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void staleDevicesAreWokenOncePerPeriod(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        PushCertificate pc = store.pushCertificates().create("stale-" + kind, null,
                new PushCertificateRepository.Material("com.apple.mgmt.stale." + kind, "pem", new byte[] {1},
                        Instant.now(), Instant.now().plusSeconds(3600)));
        EnrolledDevice seen = device(store, pc, new byte[] {3, 1});
        store.devices().markSeen(seen.id(), "127.0.0.1");
        EnrolledDevice blocked = device(store, pc, new byte[] {3, 2});
        store.devices().block(blocked.id());
        // five hours from now every device is stale, except the blocked one
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(5));
        StaleDeviceSweep sweep = new StaleDeviceSweep(store, later, StaleDeviceSweep.DEFAULT_STALE_AFTER);
        assertThat(sweep.sweep(1000)).isGreaterThanOrEqualTo(1);
        assertThat(store.pushOutbox().list(1000)).anyMatch(r -> r.enrolledDeviceId() == seen.id())
                .noneMatch(r -> r.enrolledDeviceId() == blocked.id());
        // already queued: not queued twice; now (not later) nothing is stale
        assertThat(sweep.sweep(1000)).isZero();
        assertThat(new StaleDeviceSweep(store, Clock.systemUTC(), StaleDeviceSweep.DEFAULT_STALE_AFTER).sweep(1000))
                .isZero();
        // once notified, it is not woken again within the period
        ScriptedGateway gateway = new ScriptedGateway();
        PushScheduler scheduler = new PushScheduler(store, gateway, Clock.systemUTC(), 1000, 10_000,
                Duration.ofMinutes(2), Duration.ofSeconds(1));
        for (int i = 0; i < 10 && scheduler.runOnce().claimed() > 0; i++) {
            Thread.onSpinWait();
        }
        assertThat(gateway.sent).extracting(MdmPush::pushMagic).contains(seen.pushMagic());
        assertThat(new StaleDeviceSweep(store, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)),
                StaleDeviceSweep.DEFAULT_STALE_AFTER).sweep(1000)).isZero();
    }

    @org.junit.jupiter.api.Test
    void backoffGrowsAndIsCapped() {
        assertThat(PushScheduler.backoff(0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(PushScheduler.backoff(2)).isEqualTo(Duration.ofSeconds(120));
        assertThat(PushScheduler.backoff(30)).isEqualTo(Duration.ofHours(1));
    }
}
