package dev.orchardmdm.server.metrics;

import dev.orchardmdm.store.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness and readiness. Live: the process answers. Ready: the database answers within
 * {@link #DATABASE_TIMEOUT_MS} and its migrations all succeeded, and every registered listener
 * check (HTTP listener, push scheduler, …) holds. The answers name the checks, never an error
 * text (which could carry a host name or a URL): failures are logged instead.
 */
public final class Health implements AutoCloseable {
    /** How long the database check may take before the server counts as not ready. */
    public static final long DATABASE_TIMEOUT_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(Health.class);
    private final Database database;
    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    private final ExecutorService probe = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "orchard-readiness");
        t.setDaemon(true);
        return t;
    });
    private Future<Boolean> running;

    public Health(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Adds a readiness check (e.g. {@code "http"}: the listener is started). */
    public synchronized void addCheck(String name, BooleanSupplier check) {
        checks.put(name, check);
    }

    /** Each check's outcome, {@code database} first. */
    public Map<String, Boolean> readiness() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        out.put("database", databaseReady());
        Map<String, BooleanSupplier> copy;
        synchronized (this) {
            copy = new LinkedHashMap<>(checks);
        }
        copy.forEach((name, check) -> {
            boolean ok;
            try {
                ok = check.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            out.put(name, ok);
        });
        return out;
    }

    /** Whether every readiness check holds. */
    public boolean ready() {
        return !readiness().containsValue(false);
    }

    private boolean databaseReady() {
        Future<Boolean> f;
        synchronized (this) {
            if (running != null && !running.isDone()) {
                return false; // the previous probe is still stuck: not ready, and no second thread piles up
            }
            f = probe.submit(this::migrated);
            running = f;
        }
        try {
            return f.get(DATABASE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("readiness: database check failed: {}", e.toString());
            return false;
        }
    }

    private boolean migrated() {
        try {
            long failed = database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM flyway_schema_history WHERE success = FALSE").mapTo(Long.class).one());
            return failed == 0;
        } catch (RuntimeException e) {
            LOG.warn("readiness: database unreachable or not migrated: {}", e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        probe.shutdownNow();
    }
}
