package dev.orchardmdm.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * The push outbox: the engine records that a target should be woken; push workers (one per
 * replica) claim rows with a lease, send, and delete them. A worker that dies mid-work loses
 * nothing: its lease expires and another worker takes the rows over.
 */
public final class PushOutbox extends Repository implements WakeUpStore {
    private static final String COLUMNS = "id, enrolled_device_id, enrolled_user_id, reason, due_at, attempts, lease_owner,"
            + " lease_until, last_error, created_at";
    private final Leases leases;

    public PushOutbox(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
        this.leases = new Leases(db.dialect());
    }

    /**
     * Records that a target should be woken (at once). A target already waiting unclaimed in the
     * outbox is not added twice.
     *
     * @param enrolledUserId null for the device channel
     * @return true if a row was added
     * @throws InvalidStateException if the device or user does not exist
     */
    @Override
    public boolean enqueue(long enrolledDeviceId, Long enrolledUserId, String reason) throws StoreException {
        Instant now = now();
        return tx(h -> h.createUpdate("INSERT INTO push_outbox (enrolled_device_id, enrolled_user_id, reason, due_at, created_at)"
                        + " SELECT :d, :u, :reason, :now, :now WHERE NOT EXISTS (SELECT 1 FROM push_outbox"
                        + " WHERE enrolled_device_id = :d AND " + (enrolledUserId == null ? "enrolled_user_id IS NULL" : "enrolled_user_id = :u")
                        + " AND lease_owner IS NULL)")
                .bind("d", enrolledDeviceId).bind("u", enrolledUserId).bind("reason", reason).bind("now", now).execute() == 1);
    }

    /** Claims up to {@code limit} due rows for {@code owner}, leased for {@code lease}. */
    public List<PushRequest> claim(String owner, Duration lease, int limit) throws StoreException {
        Instant now = now();
        return tx(h -> leases.claim(h, "push_outbox", "", "", owner, lease, now, limit)
                .map(ConstructorMapper.of(PushRequest.class)).list());
    }

    /**
     * The push was sent (or is pointless, e.g. dead token): the row is deleted.
     *
     * @throws LeaseLostException if {@code owner} no longer holds the row
     */
    public void complete(long id, String owner) throws StoreException {
        tx(h -> requireLease(h.createUpdate("DELETE FROM push_outbox WHERE id = :id AND lease_owner = :o")
                .bind("id", id).bind("o", owner).execute(), id));
    }

    /**
     * The push failed for now: the row is released and due again at {@code retryAt}.
     *
     * @throws LeaseLostException if {@code owner} no longer holds the row
     */
    public void retry(long id, String owner, String error, Instant retryAt) throws StoreException {
        Objects.requireNonNull(retryAt, "retryAt");
        tx(h -> requireLease(h.createUpdate("UPDATE push_outbox SET lease_owner = NULL, lease_until = NULL, due_at = :due,"
                        + " last_error = :err WHERE id = :id AND lease_owner = :o")
                .bind("due", retryAt).bind("err", error).bind("id", id).bind("o", owner).execute(), id));
    }

    /** All rows, oldest first (for operators and tests). */
    public List<PushRequest> list(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM push_outbox ORDER BY id LIMIT :l").bind("l", limit)
                .map(ConstructorMapper.of(PushRequest.class)).list());
    }

    static Void requireLease(int updated, Object id) throws LeaseLostException {
        if (updated == 0) {
            throw new LeaseLostException("lease on " + id + " is not held by this worker");
        }
        return null;
    }
}
