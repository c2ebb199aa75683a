package dev.orchardmdm.server.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchardmdm.server.api.ApiJson;
import dev.orchardmdm.store.LeaseLostException;
import dev.orchardmdm.store.StoreException;
import dev.orchardmdm.store.Task;
import dev.orchardmdm.store.TaskRepository;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background tasks run in-process on a small worker pool, backed by mdm-store's tasks table: a
 * submitted task is a row; workers claim rows with a lease (so several server replicas share the
 * work and a task whose worker died is taken over after its lease expired), report progress with
 * heartbeats, and record the result or the error. Unfinished tasks are resumed after a restart.
 */
public final class TaskQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskQueue.class);

    private final TaskRepository tasks;
    private final Map<String, TaskHandler> handlers;
    private final String owner;
    private final Duration lease;
    private final Duration pollInterval;
    private final ObjectMapper mapper = ApiJson.newMapper();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition submitted = lock.newCondition();
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService workers;

    /**
     * @param handlers     task name -> handler
     * @param owner        this replica's name in leases (unique per process)
     * @param lease        how long a claim holds without a heartbeat
     * @param pollInterval how often idle workers look for tasks submitted by other replicas
     */
    public TaskQueue(TaskRepository tasks, Map<String, TaskHandler> handlers, String owner, Duration lease,
                     Duration pollInterval) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.handlers = Map.copyOf(handlers);
        this.owner = Objects.requireNonNull(owner, "owner");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** Whether a handler exists for {@code name}. */
    public boolean handles(String name) {
        return handlers.containsKey(name);
    }

    /** Submits a task and wakes a local worker. */
    public Task submit(String name, Map<String, ?> arguments) throws StoreException {
        if (!handlers.containsKey(name)) {
            throw new IllegalArgumentException("no handler for task " + name);
        }
        Task task = tasks.submit(name, mapper.valueToTree(arguments).toString());
        wakeWorkers();
        return task;
    }

    /**
     * Submits a task under a fixed {@code uuid} unless that uuid is taken (one row per scheduled
     * run, whichever replica comes first), and wakes a local worker.
     *
     * @return the task, or empty when another replica (or an earlier tick) submitted it already
     */
    public Optional<Task> submitOnce(UUID uuid, String name, Map<String, ?> arguments) throws StoreException {
        if (!handlers.containsKey(name)) {
            throw new IllegalArgumentException("no handler for task " + name);
        }
        Optional<Task> task = tasks.submitOnce(uuid, name, argumentsJson(arguments));
        if (task.isPresent()) {
            wakeWorkers();
        }
        return task;
    }

    /** Whether a task of {@code name} with these arguments is pending or running (on any replica). */
    public boolean active(String name, Map<String, ?> arguments) {
        return tasks.active(name, argumentsJson(arguments));
    }

    /** The JSON text of task arguments, as stored. */
    public String argumentsJson(Map<String, ?> arguments) {
        return mapper.valueToTree(arguments).toString();
    }

    private void wakeWorkers() {
        lock.lock();
        try {
            submitted.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A task by id. */
    public Optional<Task> find(UUID uuid) {
        return tasks.findByUuid(uuid);
    }

    /** Starts {@code threads} workers (once). */
    public void start(int threads) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "orchard-task-worker");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threads; i++) {
            workers.execute(this::loop);
        }
    }

    private void loop() {
        while (running.get()) {
            boolean worked;
            try {
                worked = runOne();
            } catch (RuntimeException | StoreException e) {
                LOG.warn("task worker: {}", e.toString());
                worked = false;
            }
            if (!worked) {
                lock.lock();
                try {
                    if (running.get()) {
                        submitted.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Claims and runs one due task in the calling thread.
     *
     * @return whether a task was run
     */
    public boolean runOne() throws StoreException {
        Optional<Task> claimed = tasks.claim(owner, lease);
        if (claimed.isEmpty()) {
            return false;
        }
        Task task = claimed.get();
        TaskHandler handler = handlers.get(task.name());
        if (handler == null) {
            tasks.fail(task.uuid(), owner, "no handler for task " + task.name());
            return true;
        }
        try {
            JsonNode args = task.arguments() == null ? mapper.createObjectNode() : mapper.readTree(task.arguments());
            JsonNode result = handler.run(args, percent -> tasks.heartbeat(task.uuid(), owner,
                    Math.max(0, Math.min(100, percent)), lease));
            tasks.complete(task.uuid(), owner, (result == null ? mapper.createObjectNode() : result).toString());
        } catch (LeaseLostException e) {
            LOG.warn("task {} taken over by another worker", task.uuid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("task {} ({}) failed: {}", task.uuid(), task.name(), e.toString());
            try {
                tasks.fail(task.uuid(), owner, String.valueOf(e.getMessage()));
            } catch (LeaseLostException lost) {
                LOG.warn("task {} taken over by another worker", task.uuid());
            }
        }
        return true;
    }

    /** An empty JSON object, for handlers. */
    public ObjectNode newResult() {
        return mapper.createObjectNode();
    }

    @Override
    public void close() {
        running.set(false);
        lock.lock();
        try {
            submitted.signalAll();
        } finally {
            lock.unlock();
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
