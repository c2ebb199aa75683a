package dev.orchardmdm.server.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.orchardmdm.store.Task;
import dev.orchardmdm.store.TaskRepository;
import dev.orchardmdm.store.TaskStatus;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The task queue over the real tasks table: results, failures, progress, and a dead worker's task taken over. */
class TaskQueueTest {

    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    static final List<Integer> PROGRESS = new CopyOnWriteArrayList<>();

    static Map<String, TaskHandler> handlers() {
        return Map.of(
                "double", (args, progress) -> {
                    progress.report(40);
                    PROGRESS.add(40);
                    return JsonNodeFactory.instance.objectNode().put("value", args.path("value").asInt() * 2);
                },
                "boom", (args, progress) -> {
                    throw new IllegalStateException("the sync failed: Apple said no");
                });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void runsRecordsResultsAndFailures(DatabaseKind kind) throws Exception {
        TaskRepository repo = DBS.store(kind).tasks();
        try (TaskQueue queue = new TaskQueue(repo, handlers(), "worker-a-" + kind, Duration.ofMinutes(1),
                Duration.ofMillis(50))) {
            Task doubled = queue.submit("double", Map.of("value", 21));
            Task failed = queue.submit("boom", Map.of());
            assertThat(queue.find(doubled.uuid()).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
            while (queue.runOne()) {
                // run every due task in this thread
            }
            Task done = queue.find(doubled.uuid()).orElseThrow();
            assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(done.result()).isEqualTo("{\"value\":42}");
            assertThat(done.progress()).isEqualTo(100);
            assertThat(PROGRESS).contains(40);
            Task boom = queue.find(failed.uuid()).orElseThrow();
            assertThat(boom.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(boom.error()).isEqualTo("the sync failed: Apple said no");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aTaskOfADeadWorkerIsTakenOverAfterItsLease(DatabaseKind kind) throws Exception {
        TaskRepository repo = DBS.store(kind).tasks();
        Task task = repo.submit("double", "{\"value\": 5}");
        // a replica claims it and dies (no heartbeat, no result)
        assertThat(repo.claim("dead-replica-" + kind, Duration.ofMillis(1))).isPresent();
        Thread.sleep(20);
        try (TaskQueue queue = new TaskQueue(repo, handlers(), "worker-b-" + kind, Duration.ofMinutes(1),
                Duration.ofMillis(50))) {
            queue.start(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (repo.findByUuid(task.uuid()).orElseThrow().status() != TaskStatus.SUCCEEDED
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        Task done = repo.findByUuid(task.uuid()).orElseThrow();
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(done.result()).isEqualTo("{\"value\":10}");
        assertThat(done.attempts()).isEqualTo(2);
    }
}
