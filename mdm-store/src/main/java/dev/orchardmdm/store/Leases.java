package dev.orchardmdm.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The claim-with-a-lease pattern shared by the push outbox and the task queue. A row is claimable
 * when due and not leased (or its lease expired: its worker is presumed dead and the row is taken
 * over). Claiming sets the owner and lease end and counts an attempt, in one statement whose row
 * selection uses {@code FOR UPDATE SKIP LOCKED} on PostgreSQL (SQLite has one writer).
 */
final class Leases {
    private final Dialect dialect;

    Leases(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Builds the claim statement for {@code table}.
     *
     * @param extraCondition additional SQL condition on claimable rows (may be empty)
     * @param assignments    additional SQL assignments on claimed rows (may be empty)
     */
    Query claim(Handle h, String table, String extraCondition, String assignments, String owner, Duration lease, Instant now,
                int limit) {
        Objects.requireNonNull(owner, "owner");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return h.createQuery("UPDATE " + table + " SET lease_owner = :owner, lease_until = :until, attempts = attempts + 1"
                        + assignments + " WHERE id IN (SELECT id FROM " + table + " WHERE due_at <= :now"
                        + " AND (lease_until IS NULL OR lease_until < :now)" + extraCondition
                        + " ORDER BY due_at, id LIMIT :limit" + dialect.skipLocked() + ") RETURNING *")
                .bind("owner", owner).bind("until", now.plus(lease)).bind("now", now).bind("limit", limit);
    }
}
