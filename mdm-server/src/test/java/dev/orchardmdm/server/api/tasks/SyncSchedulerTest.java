package dev.orchardmdm.server.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.orchardmdm.server.config.ServerConfig;
import dev.orchardmdm.server.e2e.TestServer;
import dev.orchardmdm.store.Database;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.MutableClock;
import dev.orchardmdm.store.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sync scheduler: two replicas (two stores, two task queues, two schedulers) on one database
 * submit each scheduled run exactly once, never while the previous run is still pending, and again
 * in the next slot; a disabled schedule submits nothing.
 */
class SyncSchedulerTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    static final Map<String, TaskHandler> HANDLERS = Map.of(
            "sync.devices", (args, progress) -> JsonNodeFactory.instance.objectNode(),
            "sync.catalog", (args, progress) -> JsonNodeFactory.instance.objectNode());

    static final List<SyncScheduler.Job> JOBS = List.of(
            new SyncScheduler.Job("sync.devices", Map.of("virtual_server_id", 1, "full_sync", false), Duration.ofHours(1)),
            new SyncScheduler.Job("sync.devices", Map.of("virtual_server_id", 2, "full_sync", false), Duration.ofHours(1)),
            new SyncScheduler.Job("sync.catalog", Map.of(), Duration.ofDays(1)));

    static ServerConfig.Schedule schedule(boolean enabled) {
        return new ServerConfig.Schedule(enabled, Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1),
                Duration.ZERO, Duration.ofMillis(100));
    }

    private static long count(Database db, String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tasks WHERE name = :n").bind("n", name)
                .mapTo(Long.class).one());
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void twoReplicasSubmitEachRunOnce(DatabaseKind kind) throws Exception {
        Store storeA = DBS.store(kind);
        try (Database second = Database.open(TestServer.jdbcUrl(DBS, kind));
             TaskQueue queueA = new TaskQueue(storeA.tasks(), HANDLERS, "replica-a", Duration.ofMinutes(1), Duration.ofSeconds(1));
             TaskQueue queueB = new TaskQueue(new Store(second, DBS.cipher(), Clock.systemUTC()).tasks(), HANDLERS,
                     "replica-b", Duration.ofMinutes(1), Duration.ofSeconds(1))) {
            MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:15:00Z"));
            SyncScheduler a = new SyncScheduler(queueA, clock, schedule(true), () -> JOBS);
            SyncScheduler b = new SyncScheduler(queueB, clock, schedule(true), () -> JOBS);
            Database db = DBS.database(kind);

            // both replicas tick at the same moment, many times over
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Callable<Integer>> ticks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ticks.add(i % 2 == 0 ? a::tick : b::tick);
            }
            int submitted = 0;
            for (Future<Integer> f : pool.invokeAll(ticks)) {
                submitted += f.get();
            }
            pool.shutdown();
            assertThat(submitted).isEqualTo(3);
            assertThat(count(db, "sync.devices")).isEqualTo(2);
            assertThat(count(db, "sync.catalog")).isEqualTo(1);

            // the next hour: the runs of the previous slot are still pending, so nothing new
            clock.advance(Duration.ofHours(1));
            assertThat(a.tick() + b.tick()).isZero();

            // once they have run, the hourly jobs are due again; the daily one is not
            while (queueB.runOne()) {
                // replica B's worker runs every task, whoever submitted it
            }
            assertThat(b.tick() + a.tick()).isEqualTo(2);
            assertThat(count(db, "sync.devices")).isEqualTo(4);
            assertThat(count(db, "sync.catalog")).isEqualTo(1);
            assertThat(a.tick() + b.tick()).isZero();
        }
    }

    @Test
    void aDisabledScheduleSubmitsNothingAndAnEnabledOneTicksByItself() throws Exception {
        Store store = DBS.store(DatabaseKind.SQLITE);
        Database db = DBS.database(DatabaseKind.SQLITE);
        List<SyncScheduler.Job> jobs = List.of(new SyncScheduler.Job("sync.catalog", Map.of("when", "disabled"),
                Duration.ofDays(1)));
        try (TaskQueue queue = new TaskQueue(store.tasks(), HANDLERS, "replica-c", Duration.ofMinutes(1), Duration.ofSeconds(1));
             SyncScheduler off = new SyncScheduler(queue, Clock.systemUTC(), schedule(false), () -> jobs)) {
            long before = count(db, "sync.catalog");
            off.start();
            Thread.sleep(500);
            assertThat(count(db, "sync.catalog")).isEqualTo(before);
            try (SyncScheduler on = new SyncScheduler(queue, Clock.systemUTC(), schedule(true), () -> jobs)) {
                on.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (count(db, "sync.catalog") == before && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            assertThat(count(db, "sync.catalog")).isEqualTo(before + 1);
        }
    }
}
