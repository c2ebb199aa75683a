package dev.orchardmdm.store;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Shared plumbing of the repositories: the database, the secrets, the clock. */
abstract class Repository {
    protected final Database db;
    protected final Jdbi jdbi;
    protected final Secrets secrets;
    protected final Clock clock;

    Repository(Database db, Secrets secrets, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.jdbi = db.jdbi();
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Now, truncated to the stored precision (milliseconds). */
    protected Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /** Runs {@code work} in a transaction, turning unique-constraint violations into {@link ConflictException}. */
    protected <R> R tx(StoreWork<R> work) throws StoreException {
        try {
            return db.inTransaction(work::run);
        } catch (RuntimeException e) {
            if (db.dialect().isUniqueViolation(e)) {
                throw new ConflictException("already exists (unique constraint)", e);
            }
            if (db.dialect().isForeignKeyViolation(e)) {
                throw new InvalidStateException("refers to a missing row, or is still referenced", e);
            }
            throw e;
        }
    }

    /** A unit of work in a transaction that may refuse with a {@link StoreException}. */
    @FunctionalInterface
    protected interface StoreWork<R> {
        R run(Handle handle) throws StoreException;
    }

    /** Inserts with {@code INSERT ... RETURNING id} and returns the new id. */
    protected static long insertReturningId(Handle handle, String sql, java.util.function.Consumer<org.jdbi.v3.core.statement.Query> binder) {
        var query = handle.createQuery(sql + " RETURNING id");
        binder.accept(query);
        return query.mapTo(Long.class).one();
    }
}
