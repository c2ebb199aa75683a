package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.store.testing.Concurrently;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.Fixtures;
import dev.orchardmdm.store.testing.MutableClock;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CommandQueueTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

    private Store store(DatabaseKind kind) {
        return new Store(DBS.database(kind), DBS.cipher(), clock, Duration.ofMinutes(5));
    }

    private static byte[] plist(String requestType) {
        return ("<plist><dict><key>RequestType</key><string>" + requestType + "</string></dict></plist>")
                .getBytes(StandardCharsets.UTF_8);
    }

    private Command enqueue(Store store, EnrolledDevice d, String requestType, Instant notBefore) throws StoreException {
        return store.commands().enqueue(new NewCommand(UUID.randomUUID(), CommandTarget.device(d), requestType, null, null,
                null, plist(requestType), Map.of(), notBefore));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void deliversOldestDueFirstAndMarksItSent(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        CommandQueue q = store.commands();
        EnrolledDevice d = Fixtures.device(store);
        Command later = enqueue(store, d, "DeviceInformation", clock.instant().plusSeconds(60));
        Command first = enqueue(store, d, "SecurityInfo", null);
        Command second = enqueue(store, d, "ProfileList", null);
        assertThat(q.pendingCount(d.enrollmentId())).isEqualTo(3);

        CommandQueue.Delivery a = q.next(d.enrollmentId(), false).orElseThrow();
        assertThat(a.command().uuid()).isEqualTo(first.uuid());
        assertThat(a.command().sentAt()).isEqualTo(clock.instant());
        assertThat(a.command().sendCount()).isEqualTo(1);
        assertThat(new String(a.command().commandPlist(), StandardCharsets.UTF_8)).contains("SecurityInfo");
        assertThat(q.next(d.enrollmentId(), false).orElseThrow().command().uuid()).isEqualTo(second.uuid());
        assertThat(q.next(d.enrollmentId(), false)).isEmpty();
        clock.advance(Duration.ofSeconds(61));
        assertThat(q.next(d.enrollmentId(), false).orElseThrow().command().uuid()).isEqualTo(later.uuid());
        assertThat(q.next(d.enrollmentId(), false)).isEmpty();
        // another enrollment's queue is separate
        assertThat(q.next(Fixtures.device(store).enrollmentId(), false)).isEmpty();
        // sent but unanswered commands are delivered again once the redelivery delay has passed
        clock.advance(Duration.ofMinutes(4));
        CommandQueue.Delivery again = q.next(d.enrollmentId(), false).orElseThrow();
        assertThat(again.command().uuid()).isEqualTo(first.uuid());
        assertThat(again.command().sendCount()).isEqualTo(2);
        assertThat(q.next(d.enrollmentId(), false).orElseThrow().command().uuid()).isEqualTo(second.uuid());
        assertThat(q.next(d.enrollmentId(), false)).isEmpty();
        // ... but not while the device reports NotNow
        clock.advance(Duration.ofMinutes(2));
        assertThat(q.next(d.enrollmentId(), true)).isEmpty();
        assertThat(q.next(d.enrollmentId(), false).orElseThrow().command().uuid()).isEqualTo(later.uuid());
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void notNowIsPassedOverUntilTheDeviceReportsANewState(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        CommandQueue q = store.commands();
        EnrolledDevice d = Fixtures.device(store);
        Command a = enqueue(store, d, "InstallProfile", null);
        Command b = enqueue(store, d, "DeviceInformation", null);
        assertThat(q.next(d.enrollmentId(), false).orElseThrow().command().uuid()).isEqualTo(a.uuid());
        CommandQueue.Recorded notNow = q.recordResult(d.enrollmentId(), a.uuid(), CommandStatus.NOT_NOW, plist("NotNow"), null);
        assertThat(notNow.command().status()).isEqualTo(CommandStatus.NOT_NOW);
        assertThat(notNow.command().answered()).isFalse();
        // the device said NotNow: only never-sent commands
        assertThat(q.next(d.enrollmentId(), true).orElseThrow().command().uuid()).isEqualTo(b.uuid());
        q.recordResult(d.enrollmentId(), b.uuid(), CommandStatus.NOT_NOW, null, null);
        assertThat(q.next(d.enrollmentId(), true)).isEmpty();
        // a new state (Idle): the NotNow commands come back, oldest first
        CommandQueue.Delivery retry = q.next(d.enrollmentId(), false).orElseThrow();
        assertThat(retry.command().uuid()).isEqualTo(a.uuid());
        assertThat(retry.command().status()).isNull();
        assertThat(retry.command().sendCount()).isEqualTo(2);
        CommandQueue.Recorded ack = q.recordResult(d.enrollmentId(), a.uuid(), CommandStatus.ACKNOWLEDGED, plist("ack"), null);
        assertThat(ack.command().answered()).isTrue();
        assertThat(ack.command().id()).isEqualTo(a.id());
        assertThat(q.next(d.enrollmentId(), false).orElseThrow().command().uuid()).isEqualTo(b.uuid());
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void finalResultsMoveToHistoryAndDuplicatesChangeNothing(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        CommandQueue q = store.commands();
        EnrolledDevice d = Fixtures.device(store);
        Command c = enqueue(store, d, "EraseDevice", null);
        q.next(d.enrollmentId(), false).orElseThrow();
        clock.advance(Duration.ofSeconds(3));
        String chain = "[{\"ErrorCode\":12021,\"ErrorDomain\":\"MCMDMErrorDomain\"}]";
        CommandQueue.Recorded r = q.recordResult(d.enrollmentId(), c.uuid(), CommandStatus.ERROR, plist("err"), chain);
        assertThat(r.duplicate()).isFalse();
        assertThat(r.command().status()).isEqualTo(CommandStatus.ERROR);
        assertThat(r.command().errorChain()).isEqualTo(chain);
        assertThat(r.command().resultTime()).isEqualTo(clock.instant());
        assertThat(new String(r.command().resultPlist(), StandardCharsets.UTF_8)).contains("err");
        assertThat(q.pendingCount(d.enrollmentId())).isZero();
        long hot = store.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM command_queue WHERE uuid = :u")
                .bind("u", c.uuid().toString()).mapTo(Long.class).one());
        assertThat(hot).isZero();

        CommandQueue.Recorded dup = q.recordResult(d.enrollmentId(), c.uuid(), CommandStatus.ACKNOWLEDGED, plist("x"), null);
        assertThat(dup.duplicate()).isTrue();
        assertThat(q.findByUuid(c.uuid()).orElseThrow().status()).isEqualTo(CommandStatus.ERROR);
        assertThatThrownBy(() -> q.recordResult(d.enrollmentId(), c.uuid(), CommandStatus.ACKNOWLEDGED, null, "{bad"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aResultForAnotherDevicesCommandIsRefusedAndChangesNothing(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        CommandQueue q = store.commands();
        EnrolledDevice victim = Fixtures.device(store);
        EnrolledDevice attacker = Fixtures.device(store);
        Command c = enqueue(store, victim, "DeviceLock", null);
        q.next(victim.enrollmentId(), false).orElseThrow();
        assertThatThrownBy(() -> q.recordResult(attacker.enrollmentId(), c.uuid(), CommandStatus.ACKNOWLEDGED, plist("a"), null))
                .isInstanceOf(CommandOwnershipException.class);
        Command unchanged = q.findByUuid(c.uuid()).orElseThrow();
        assertThat(unchanged.answered()).isFalse();
        assertThat(unchanged.status()).isNull();
        assertThat(unchanged.resultPlist()).isNull();
        assertThat(unchanged.updatedAt()).isEqualTo(c.updatedAt());

        q.recordResult(victim.enrollmentId(), c.uuid(), CommandStatus.ACKNOWLEDGED, plist("a"), null);
        assertThatThrownBy(() -> q.recordResult(attacker.enrollmentId(), c.uuid(), CommandStatus.ACKNOWLEDGED, null, null))
                .isInstanceOf(CommandOwnershipException.class);
        assertThatThrownBy(() -> q.recordResult(victim.enrollmentId(), UUID.randomUUID(), CommandStatus.ACKNOWLEDGED, null, null))
                .isInstanceOf(UnknownCommandException.class);
        Command unsent = enqueue(store, victim, "DeviceInformation", null);
        assertThatThrownBy(() -> q.recordResult(victim.enrollmentId(), unsent.uuid(), CommandStatus.ACKNOWLEDGED, null, null))
                .isInstanceOf(InvalidStateException.class);
        assertThat(q.findByUuid(unsent.uuid()).orElseThrow().status()).isNull();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void onlyUnsentCommandsCanBeDeletedAndSecretsAreSealed(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        CommandQueue q = store.commands();
        EnrolledDevice d = Fixtures.device(store);
        UUID uuid = UUID.randomUUID();
        q.enqueue(new NewCommand(uuid, CommandTarget.device(d), "DeviceLock", null, null, null, plist("DeviceLock"),
                Map.of("PIN", "123456"), null));
        byte[] stored = store.database().jdbi().withHandle(h -> h.createQuery("SELECT secret_arguments FROM command_queue WHERE uuid = :u")
                .bind("u", uuid.toString()).mapTo(byte[].class).one());
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("123456");
        Command unsent = enqueue(store, d, "RestartDevice", null);
        CommandQueue.Delivery delivery = q.next(d.enrollmentId(), false).orElseThrow();
        assertThat(delivery.command().uuid()).isEqualTo(uuid);
        assertThat(delivery.secretArguments()).containsEntry("PIN", "123456");

        assertThatThrownBy(() -> q.deleteUnsent(uuid)).isInstanceOf(InvalidStateException.class);
        assertThat(q.findByUuid(uuid)).isPresent();
        q.deleteUnsent(unsent.uuid());
        assertThat(q.findByUuid(unsent.uuid())).isEmpty();
        assertThatThrownBy(() -> q.deleteUnsent(unsent.uuid())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> q.enqueue(NewCommand.of(uuid, CommandTarget.device(d), "X", plist("X"))))
                .isInstanceOf(ConflictException.class);
        q.recordResult(d.enrollmentId(), uuid, CommandStatus.ACKNOWLEDGED, null, null);
        assertThat(q.secretArguments(uuid)).containsEntry("PIN", "123456");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void listsAndFiltersQueuedAndAnsweredCommands(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        CommandQueue q = store.commands();
        EnrolledDevice d = Fixtures.device(store);
        EnrolledUser u = store.users().upsert(d.id(), "u-" + d.udid(), d.udid() + ":u", null, null);
        Command acked = enqueue(store, d, "DeviceInformation", null);
        q.next(d.enrollmentId(), false);
        q.recordResult(d.enrollmentId(), acked.uuid(), CommandStatus.ACKNOWLEDGED, null, null);
        clock.advance(Duration.ofSeconds(10));
        Command sent = enqueue(store, d, "SecurityInfo", null);
        q.next(d.enrollmentId(), false);
        Command queued = enqueue(store, d, "ProfileList", null);
        Command userCommand = q.enqueue(NewCommand.of(UUID.randomUUID(), CommandTarget.user(u), "ProfileList", plist("ProfileList")));

        assertThat(q.list(CommandQueue.Query.forDevice(d.id(), 50, 0))).extracting(Command::uuid)
                .containsExactly(queued.uuid(), sent.uuid(), acked.uuid());
        assertThat(q.count(CommandQueue.Query.forDevice(d.id(), 50, 0))).isEqualTo(3);
        assertThat(q.list(CommandQueue.Query.forDevice(d.id(), 1, 1))).extracting(Command::uuid).containsExactly(sent.uuid());
        for (var e : Map.of(CommandQueue.State.QUEUED, queued, CommandQueue.State.SENT, sent,
                CommandQueue.State.ACKNOWLEDGED, acked).entrySet()) {
            assertThat(q.list(new CommandQueue.Query(Channel.DEVICE, d.id(), null, e.getKey(), null, null, null, null, 50, 0)))
                    .extracting(Command::uuid).containsExactly(e.getValue().uuid());
        }
        assertThat(q.list(new CommandQueue.Query(null, d.id(), null, null, "ProfileList", null, null, null, 50, 0)))
                .extracting(Command::uuid).containsExactlyInAnyOrder(queued.uuid(), userCommand.uuid());
        assertThat(q.list(new CommandQueue.Query(Channel.USER, null, u.id(), null, null, null, null, null, 50, 0)))
                .extracting(Command::uuid).containsExactly(userCommand.uuid());
        assertThat(q.list(new CommandQueue.Query(null, d.id(), null, null, null, null, acked.createdAt().plusSeconds(1),
                null, 50, 0))).hasSize(3);
        assertThat(q.list(new CommandQueue.Query(null, d.id(), null, null, null, null, null,
                acked.createdAt().plusSeconds(1), 50, 0))).extracting(Command::uuid).containsExactly(acked.uuid());
        assertThat(q.next(u.enrollmentId(), false).orElseThrow().command().uuid()).isEqualTo(userCommand.uuid());
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void requestTypesQueuedSinceSeesPendingAndAnsweredDeviceCommandsOnly(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        CommandQueue q = store.commands();
        EnrolledDevice d = Fixtures.device(store);
        EnrolledDevice other = Fixtures.device(store);
        EnrolledUser u = store.users().upsert(d.id(), "u-" + d.udid(), d.udid() + ":u", null, null);
        List<String> types = List.of("DeviceInformation", "SecurityInfo");
        Instant start = clock.instant();
        Command old = enqueue(store, d, "DeviceInformation", null);
        q.next(d.enrollmentId(), false);
        q.recordResult(d.enrollmentId(), old.uuid(), CommandStatus.ACKNOWLEDGED, null, null);
        assertThat(q.requestTypesQueuedSince(d.id(), d.enrollmentId(), types, start))
                .containsExactly("DeviceInformation");
        clock.advance(Duration.ofHours(1));
        Instant later = clock.instant();
        assertThat(q.requestTypesQueuedSince(d.id(), d.enrollmentId(), types, later)).isEmpty();
        enqueue(store, d, "SecurityInfo", null);
        enqueue(store, d, "ProfileList", null);
        enqueue(store, other, "DeviceInformation", null);
        q.enqueue(NewCommand.of(UUID.randomUUID(), CommandTarget.user(u), "DeviceInformation", plist("DeviceInformation")));
        assertThat(q.requestTypesQueuedSince(d.id(), d.enrollmentId(), types, later)).containsExactly("SecurityInfo");
        assertThat(q.requestTypesQueuedSince(d.id(), d.enrollmentId(), types, start))
                .containsExactlyInAnyOrder("DeviceInformation", "SecurityInfo");
        assertThat(q.requestTypesQueuedSince(d.id(), d.enrollmentId(), List.of(), start)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void twoConcurrentConsumersNeverGetTheSameCommand(DatabaseKind kind) throws Exception {
        Store store = new Store(DBS.database(kind), DBS.cipher(), java.time.Clock.systemUTC(), Duration.ofHours(1));
        EnrolledDevice d = Fixtures.device(store);
        int total = 60;
        Set<UUID> queued = new HashSet<>();
        for (int i = 0; i < total; i++) {
            queued.add(store.commands().enqueue(NewCommand.of(UUID.randomUUID(), CommandTarget.device(d), "DeviceInformation",
                    plist("DeviceInformation"))).uuid());
        }
        List<UUID> delivered = Collections.synchronizedList(new ArrayList<>());
        List<Integer> counts = Concurrently.run(2, () -> {
            int n = 0;
            for (int i = 0; i < total * 2; i++) {
                var next = store.commands().next(d.enrollmentId(), false);
                if (next.isEmpty()) {
                    break;
                }
                delivered.add(next.get().command().uuid());
                n++;
            }
            return n;
        });
        assertThat(counts.get(0) + counts.get(1)).isEqualTo(total);
        assertThat(delivered).doesNotHaveDuplicates();
        assertThat(new HashSet<>(delivered)).isEqualTo(queued);
    }
}
