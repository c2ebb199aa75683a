package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.Fixtures;
import dev.orchardmdm.store.testing.MutableClock;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Store#inUnitOfWork}: several repository writes commit once, together, or not at all. */
class UnitOfWorkTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

    private Store store(DatabaseKind kind) {
        return new Store(DBS.database(kind), DBS.cipher(), clock, Duration.ofMinutes(5));
    }

    private static NewCommand command(EnrolledDevice d) {
        return new NewCommand(UUID.randomUUID(), CommandTarget.device(d), "DeviceInformation", null, null, null,
                "<plist><dict/></plist>".getBytes(StandardCharsets.UTF_8), Map.of(), null);
    }

    private static long outboxRows(Store store, long deviceId) {
        return store.pushOutbox().list(10_000).stream().filter(p -> p.enrolledDeviceId() == deviceId).count();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void writesOfOneUnitCommitTogether(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        EnrolledDevice d = Fixtures.device(store);
        Command queued = store.inUnitOfWork(() -> {
            Command c = store.commands().enqueue(command(d));
            store.pushOutbox().enqueue(d.id(), null, "test");
            // reads inside the unit see its own writes
            assertThat(store.commands().pendingCount(d.enrollmentId())).isEqualTo(1);
            return c;
        });
        assertThat(store.commands().findByUuid(queued.uuid())).isPresent();
        assertThat(outboxRows(store, d.id())).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aFailureRollsBackEveryWriteOfTheUnit(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        EnrolledDevice d = Fixtures.device(store);
        NewCommand c = command(d);
        assertThatThrownBy(() -> store.inUnitOfWork(() -> {
            store.commands().enqueue(c);
            store.pushOutbox().enqueue(d.id(), null, "test");
            throw new NotFoundException("refused after two writes");
        })).isInstanceOf(NotFoundException.class);
        assertThat(store.commands().findByUuid(c.uuid())).isEmpty();
        assertThat(outboxRows(store, d.id())).isZero();
        // the thread is free again: a later unit commits normally
        store.inUnitOfWork(() -> store.commands().enqueue(command(d)));
        assertThat(store.commands().pendingCount(d.enrollmentId())).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aNestedUnitJoinsTheOuterOne(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        EnrolledDevice d = Fixtures.device(store);
        NewCommand c = command(d);
        assertThatThrownBy(() -> store.inUnitOfWork(() -> {
            store.inUnitOfWork(() -> store.commands().enqueue(c));
            assertThat(store.database().inUnitOfWork()).isTrue();
            throw new InvalidStateException("outer unit fails after the inner one returned");
        })).isInstanceOf(InvalidStateException.class);
        assertThat(store.commands().findByUuid(c.uuid())).isEmpty();
        assertThat(store.database().inUnitOfWork()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aFailedStatementCaughtInsideTheUnitStillRollsItBack(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        EnrolledDevice d = Fixtures.device(store);
        NewCommand c = command(d);
        assertThatThrownBy(() -> store.inUnitOfWork(() -> {
            store.commands().enqueue(c);
            try {
                store.commands().enqueue(c); // same UUID: a unique violation
            } catch (ConflictException swallowed) {
                // on PostgreSQL the transaction is aborted now; on SQLite it is not, but the unit is doomed on both
            }
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("rolled back");
        assertThat(store.commands().findByUuid(c.uuid())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aReadOnlyUnitTakesNoWriteTransaction(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        EnrolledDevice d = Fixtures.device(store);
        store.inUnitOfWork(() -> {
            assertThat(store.commands().pendingCount(d.enrollmentId())).isZero();
            // another thread writes while this unit is open: it would wait (SQLite: the single
            // writer's lock) if the unit had opened a write transaction
            CompletableFuture.runAsync(() -> {
                try {
                    store.commands().enqueue(command(d));
                } catch (StoreException e) {
                    throw new IllegalStateException(e);
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(store.commands().pendingCount(d.enrollmentId())).isEqualTo(1);
            return null;
        });
    }
}
