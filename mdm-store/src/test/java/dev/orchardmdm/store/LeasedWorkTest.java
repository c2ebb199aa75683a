package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.store.testing.Concurrently;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.Fixtures;
import dev.orchardmdm.store.testing.MutableClock;
import dev.orchardmdm.store.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LeasedWorkTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));

    private Store store(DatabaseKind kind) {
        return new Store(DBS.database(kind), DBS.cipher(), clock);
    }

    /** Empties the outbox left by earlier tests of the class. */
    private static void drain(Store store) throws StoreException {
        for (int i = 0; i < 100; i++) {
            List<PushRequest> rows = store.pushOutbox().claim("drain", LEASE, 500);
            if (rows.isEmpty()) {
                return;
            }
            for (PushRequest r : rows) {
                store.pushOutbox().complete(r.id(), "drain");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void outboxCoalescesLeasesRetriesAndRecoversAbandonedClaims(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        clock.advance(Duration.ofDays(1));
        drain(store);
        PushOutbox outbox = store.pushOutbox();
        EnrolledDevice a = Fixtures.device(store);
        EnrolledDevice b = Fixtures.device(store);
        assertThat(outbox.enqueue(a.id(), null, "command")).isTrue();
        assertThat(outbox.enqueue(a.id(), null, "command")).isFalse();
        assertThat(outbox.enqueue(b.id(), null, "block")).isTrue();
        assertThatThrownBy(() -> outbox.enqueue(-1, null, "x")).isInstanceOf(InvalidStateException.class);

        List<PushRequest> first = outbox.claim("replica-1", LEASE, 10);
        assertThat(first).extracting(PushRequest::enrolledDeviceId).containsExactly(a.id(), b.id());
        assertThat(first).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
        assertThat(outbox.claim("replica-2", LEASE, 10)).isEmpty();
        // while a's row is claimed, a new wake-up for a is recorded apart from it
        assertThat(outbox.enqueue(a.id(), null, "command")).isTrue();

        outbox.complete(first.get(0).id(), "replica-1");
        // replica-1 dies holding b's row: after the lease, replica-2 takes it over
        clock.advance(LEASE.plusSeconds(1));
        List<PushRequest> takenOver = outbox.claim("replica-2", LEASE, 10);
        assertThat(takenOver).extracting(PushRequest::enrolledDeviceId).containsExactlyInAnyOrder(a.id(), b.id());
        PushRequest bRow = takenOver.stream().filter(r -> r.enrolledDeviceId() == b.id()).findFirst().orElseThrow();
        assertThat(bRow.attempts()).isEqualTo(2);
        assertThatThrownBy(() -> outbox.complete(bRow.id(), "replica-1")).isInstanceOf(LeaseLostException.class);

        outbox.retry(bRow.id(), "replica-2", "APNs 503", clock.instant().plusSeconds(60));
        PushRequest aRow = takenOver.stream().filter(r -> r.enrolledDeviceId() == a.id()).findFirst().orElseThrow();
        outbox.complete(aRow.id(), "replica-2");
        assertThat(outbox.claim("replica-3", LEASE, 10)).isEmpty();
        clock.advance(Duration.ofSeconds(61));
        List<PushRequest> retried = outbox.claim("replica-3", LEASE, 10);
        assertThat(retried).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(bRow.id());
            assertThat(r.lastError()).isEqualTo("APNs 503");
            assertThat(r.attempts()).isEqualTo(3);
        });
        outbox.complete(bRow.id(), "replica-3");
        assertThat(outbox.list(10)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void twoConcurrentOutboxConsumersNeverShareARow(DatabaseKind kind) throws Exception {
        Store store = new Store(DBS.database(kind), DBS.cipher(), Clock.systemUTC());
        drain(store);
        int total = 40;
        for (int i = 0; i < total; i++) {
            store.pushOutbox().enqueue(Fixtures.device(store).id(), null, "command");
        }
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        Concurrently.run(2, () -> {
            String me = Thread.currentThread().getName();
            for (int i = 0; i < total; i++) {
                List<PushRequest> rows = store.pushOutbox().claim(me, Duration.ofMinutes(5), 3);
                if (rows.isEmpty()) {
                    break;
                }
                for (PushRequest r : rows) {
                    claimed.add(r.id());
                    store.pushOutbox().complete(r.id(), me);
                }
            }
            return null;
        });
        assertThat(claimed).hasSize(total).doesNotHaveDuplicates();
        assertThat(store.pushOutbox().list(10)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void tasksAreLeasedTakenOverAndFailedAfterTooManyAttempts(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        clock.advance(Duration.ofDays(2));
        TaskRepository tasks = store.tasks();
        // finish whatever earlier tests left
        for (var t = tasks.claim("drain", LEASE); t.isPresent(); t = tasks.claim("drain", LEASE)) {
            tasks.fail(t.get().uuid(), "drain", "drained");
        }
        Task submitted = tasks.submit("dep_sync", "{\"virtual_server\":1}");
        assertThat(submitted.status()).isEqualTo(TaskStatus.PENDING);
        Task claimed = tasks.claim("w1", LEASE).orElseThrow();
        assertThat(claimed.uuid()).isEqualTo(submitted.uuid());
        assertThat(claimed.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(tasks.claim("w2", LEASE)).isEmpty();
        clock.advance(Duration.ofSeconds(20));
        tasks.heartbeat(submitted.uuid(), "w1", 40, LEASE);
        clock.advance(Duration.ofSeconds(20));
        assertThat(tasks.claim("w2", LEASE)).isEmpty();
        // w1 dies: the lease expires and w2 takes the task over
        clock.advance(LEASE);
        Task takeover = tasks.claim("w2", LEASE).orElseThrow();
        assertThat(takeover.uuid()).isEqualTo(submitted.uuid());
        assertThat(takeover.attempts()).isEqualTo(2);
        assertThat(takeover.progress()).isEqualTo(40);
        assertThatThrownBy(() -> tasks.heartbeat(submitted.uuid(), "w1", 50, LEASE)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> tasks.complete(submitted.uuid(), "w1", "{}")).isInstanceOf(LeaseLostException.class);
        tasks.complete(submitted.uuid(), "w2", "{\"devices\":12}");
        Task done = tasks.findByUuid(submitted.uuid()).orElseThrow();
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(done.status().celeryState()).isEqualTo("SUCCESS");
        assertThat(done.result()).isEqualTo("{\"devices\":12}");
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.finishedAt()).isEqualTo(clock.instant());

        Task doomed = tasks.submit("software_update_sync", null);
        for (int i = 1; i <= TaskRepository.DEFAULT_MAX_ATTEMPTS; i++) {
            assertThat(tasks.claim("w" + i, LEASE).orElseThrow().uuid()).isEqualTo(doomed.uuid());
            clock.advance(LEASE.plusSeconds(1));
        }
        assertThat(tasks.claim("w9", LEASE)).isEmpty();
        Task failed = tasks.findByUuid(doomed.uuid()).orElseThrow();
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error()).contains("abandoned");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void apiTokensAreHashedAndAuditEventsAppended(DatabaseKind kind) throws Exception {
        Store store = store(kind);
        ApiTokenRepository tokens = store.apiTokens();
        ApiTokenRepository.Created created = tokens.create("ci", Set.of("mdm.view_enrolleddevice", "mdm.add_devicecommand"),
                clock.instant().plus(Duration.ofDays(1)));
        assertThat(created.secret()).startsWith(ApiTokenRepository.TOKEN_PREFIX);
        Set<String> stored = new HashSet<>(store.database().jdbi().withHandle(h -> h.createQuery("SELECT token_hash FROM api_tokens")
                .mapTo(String.class).list()));
        assertThat(stored).doesNotContain(created.secret());
        ApiToken t = tokens.authenticate(created.secret()).orElseThrow();
        assertThat(t.hasPermission("mdm.view_enrolleddevice")).isTrue();
        assertThat(t.hasPermission("mdm.view_filevault_prk")).isFalse();
        assertThat(tokens.findById(t.id()).orElseThrow().lastUsedAt()).isEqualTo(clock.instant());
        assertThat(tokens.authenticate(created.secret() + "x")).isEmpty();
        assertThat(tokens.authenticate("Token abc")).isEmpty();
        clock.advance(Duration.ofDays(2));
        assertThat(tokens.authenticate(created.secret())).isEmpty();
        ApiTokenRepository.Created other = tokens.create("admin", Set.of("mdm.view_filevault_prk"), null);
        assertThat(tokens.authenticate(other.secret())).isPresent();
        tokens.revoke(other.token().id());
        assertThat(tokens.authenticate(other.secret())).isEmpty();
        assertThatThrownBy(() -> tokens.revoke(other.token().id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tokens.create("bad", Set.of("DROP TABLE"), null)).isInstanceOf(IllegalArgumentException.class);

        AuditLog audit = store.auditLog();
        String objectId = Long.toString(t.id() * 1000 + 7);
        audit.record("api_token:" + t.id(), "filevault_prk_viewed", "enrolled_device", objectId, "{\"serial_number\":\"C02\"}");
        audit.record("api_token:" + t.id(), "blocked", "enrolled_device", objectId, null);
        assertThat(audit.list("enrolled_device", objectId, 10, 0)).extracting(AuditEvent::action)
                .containsExactly("blocked", "filevault_prk_viewed");
        assertThat(audit.count("enrolled_device", objectId, null)).isEqualTo(2);
        assertThat(audit.count("enrolled_device", objectId, "blocked")).isEqualTo(1);
        assertThat(audit.count("enrolled_device", objectId, "unblocked")).isZero();
        assertThat(audit.count(null, null, null)).isGreaterThanOrEqualTo(2)
                .isEqualTo(audit.list(null, null, Integer.MAX_VALUE, 0).size());
        assertThat(audit.list("enrolled_device", objectId, "filevault_prk_viewed", 10, 0)).extracting(AuditEvent::action)
                .containsExactly("filevault_prk_viewed");
        assertThat(audit.list("enrolled_device", objectId, "blocked", 10, 1)).isEmpty();
        assertThatThrownBy(() -> audit.record("a", "b", "c", null, "not json")).isInstanceOf(IllegalArgumentException.class);
    }
}
