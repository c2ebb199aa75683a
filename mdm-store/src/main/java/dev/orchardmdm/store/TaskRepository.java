package dev.orchardmdm.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Background tasks shared by server replicas: claimed with a lease, kept alive with
 * {@link #heartbeat}, taken over when the lease expires (the worker died), failed for good after
 * {@code maxAttempts} claims.
 */
public final class TaskRepository extends Repository {
    /** Default number of claims before an abandoned task is failed. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    private static final String SELECT = "SELECT id, uuid, name, arguments, status, progress, result, error, attempts,"
            + " lease_owner, lease_until, created_at, started_at, finished_at, updated_at FROM tasks";
    private final Leases leases;
    private final int maxAttempts;

    public TaskRepository(Database db, Secrets secrets, Clock clock, int maxAttempts) {
        super(db, secrets, clock);
        this.leases = new Leases(db.dialect());
        this.maxAttempts = maxAttempts;
    }

    /** Submits a task, due at once. */
    public Task submit(String name, String argumentsJson) throws StoreException {
        String args = Json.checked(argumentsJson, "arguments");
        UUID uuid = UUID.randomUUID();
        Instant now = now();
        return tx(h -> {
            h.createUpdate("INSERT INTO tasks (uuid, name, arguments, status, due_at, created_at, updated_at)"
                            + " VALUES (:u, :n, :a, 'PENDING', :now, :now, :now)")
                    .bind("u", uuid).bind("n", name).bind("a", args).bind("now", now).execute();
            return h.createQuery(SELECT + " WHERE uuid = :u").bind("u", uuid).map(ConstructorMapper.of(Task.class)).one();
        });
    }

    /**
     * Submits a task under a fixed {@code uuid}, due at once, unless a task with that uuid exists
     * already: one row per scheduled run, however many replicas try to submit it.
     *
     * @return the submitted task, or empty when {@code uuid} was taken (by another replica)
     */
    public Optional<Task> submitOnce(UUID uuid, String name, String argumentsJson) throws StoreException {
        String args = Json.checked(argumentsJson, "arguments");
        Instant now = now();
        return tx(h -> {
            int inserted = h.createUpdate("INSERT INTO tasks (uuid, name, arguments, status, due_at, created_at, updated_at)"
                            + " VALUES (:u, :n, :a, 'PENDING', :now, :now, :now) ON CONFLICT (uuid) DO NOTHING")
                    .bind("u", uuid).bind("n", name).bind("a", args).bind("now", now).execute();
            return inserted == 0 ? Optional.<Task>empty()
                    : h.createQuery(SELECT + " WHERE uuid = :u").bind("u", uuid).map(ConstructorMapper.of(Task.class)).findOne();
        });
    }

    /** Whether a task of {@code name} with exactly these arguments is pending or running. */
    public boolean active(String name, String argumentsJson) {
        String args = Json.checked(argumentsJson, "arguments");
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tasks WHERE name = :n AND arguments = :a"
                        + " AND status IN ('PENDING', 'RUNNING')")
                .bind("n", name).bind("a", args).mapTo(Long.class).one()) > 0;
    }

    /** How many tasks are in {@code status} (queue depth for metrics). */
    public long count(TaskStatus status) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tasks WHERE status = :s")
                .bind("s", status.name()).mapTo(Long.class).one());
    }

    /**
     * Claims the oldest due task for {@code owner}. Tasks whose worker died (lease expired) are
     * taken over; those already claimed {@code maxAttempts} times are failed instead.
     */
    public Optional<Task> claim(String owner, Duration lease) throws StoreException {
        Instant now = now();
        return tx(h -> {
            h.createUpdate("UPDATE tasks SET status = 'FAILED', error = 'abandoned: too many attempts', lease_owner = NULL,"
                            + " lease_until = NULL, finished_at = :now, updated_at = :now WHERE status = 'RUNNING'"
                            + " AND lease_until < :now AND attempts >= :max")
                    .bind("now", now).bind("max", maxAttempts).execute();
            return leases.claim(h, "tasks", " AND status IN ('PENDING', 'RUNNING')",
                            ", status = 'RUNNING', started_at = COALESCE(started_at, :now), updated_at = :now", owner, lease, now, 1)
                    .map(ConstructorMapper.of(Task.class)).findOne();
        });
    }

    /**
     * Reports progress and extends the lease.
     *
     * @throws LeaseLostException if another worker took the task over
     */
    public void heartbeat(UUID uuid, String owner, int progress, Duration lease) throws StoreException {
        if (progress < 0 || progress > 100) {
            throw new IllegalArgumentException("progress must be 0..100");
        }
        Instant now = now();
        tx(h -> PushOutbox.requireLease(h.createUpdate("UPDATE tasks SET progress = :p, lease_until = :until, updated_at = :now"
                        + " WHERE uuid = :u AND lease_owner = :o AND status = 'RUNNING'")
                .bind("p", progress).bind("until", now.plus(lease)).bind("now", now).bind("u", uuid).bind("o", owner).execute(), uuid));
    }

    /** Finishes a task successfully with a JSON result. */
    public void complete(UUID uuid, String owner, String resultJson) throws StoreException {
        finish(uuid, owner, TaskStatus.SUCCEEDED, Json.checked(resultJson, "result"), null);
    }

    /** Finishes a task with an error message (never a secret). */
    public void fail(UUID uuid, String owner, String error) throws StoreException {
        finish(uuid, owner, TaskStatus.FAILED, null, error);
    }

    private void finish(UUID uuid, String owner, TaskStatus status, String result, String error) throws StoreException {
        Instant now = now();
        tx(h -> PushOutbox.requireLease(h.createUpdate("UPDATE tasks SET status = :s, result = :r, error = :e,"
                        + " progress = CASE WHEN :s = 'SUCCEEDED' THEN 100 ELSE progress END, lease_owner = NULL, lease_until = NULL,"
                        + " finished_at = :now, updated_at = :now WHERE uuid = :u AND lease_owner = :o AND status = 'RUNNING'")
                .bind("s", status.name()).bind("r", result).bind("e", error).bind("now", now).bind("u", uuid).bind("o", owner)
                .execute(), uuid));
    }

    /** Looks up by uuid; empty if there is none. */
    public Optional<Task> findByUuid(UUID uuid) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE uuid = :u").bind("u", uuid)
                .map(ConstructorMapper.of(Task.class)).findOne());
    }
}
