package dev.orchardmdm.server.push;

import dev.orchardmdm.store.Database;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Wakes devices that have not been seen for a while: pushable devices (enrolled, not blocked,
 * live token) neither seen nor notified within {@code staleAfter} get a push-outbox row, so the
 * scheduler pokes each of them at most once per period (Zentral's {@code default_period}, 4 h).
 */
public final class StaleDeviceSweep {
    /** Zentral's default period. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(4);

    private final Store store;
    private final Database database;
    private final Clock clock;
    private final Duration staleAfter;

    public StaleDeviceSweep(Store store, Clock clock, Duration staleAfter) {
        this.store = Objects.requireNonNull(store, "store");
        this.database = store.database();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    }

    /** Queues a wake-up for at most {@code limit} stale devices; returns how many were queued. */
    public int sweep(int limit) throws StoreException {
        long cutoff = clock.millis() - staleAfter.toMillis();
        List<Long> ids = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM enrolled_devices"
                        + " WHERE checkout_at IS NULL AND blocked_at IS NULL AND push_token IS NOT NULL"
                        + " AND push_magic IS NOT NULL AND push_token_dead = FALSE"
                        + " AND (last_seen_at IS NULL OR last_seen_at < :cutoff)"
                        + " AND (last_notified_at IS NULL OR last_notified_at < :cutoff)"
                        + " AND NOT EXISTS (SELECT 1 FROM push_outbox o WHERE o.enrolled_device_id = enrolled_devices.id)"
                        + " ORDER BY id LIMIT :limit")
                .bind("cutoff", cutoff).bind("limit", limit).mapTo(Long.class).list());
        int queued = 0;
        for (long id : ids) {
            if (store.pushOutbox().enqueue(id, null, "stale")) {
                queued++;
            }
        }
        return queued;
    }
}
