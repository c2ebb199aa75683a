package dev.orchardmdm.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.SqlStatements;
import org.sqlite.SQLiteConfig;

/**
 * An open, migrated database: a HikariCP pool, the Flyway migrations of {@code db/migration}
 * applied, and a {@link Jdbi} configured for Orchard's column conventions (timestamps as
 * {@code BIGINT} epoch milliseconds UTC, UUIDs as text).
 *
 * <p>SQLite ({@code jdbc:sqlite:/path/orchard.db}): WAL journal, foreign keys on, a busy timeout,
 * and every transaction opened with {@code BEGIN IMMEDIATE}, so there is exactly one writer at a
 * time and a read-then-write transaction never fails half-way. PostgreSQL
 * ({@code jdbc:postgresql://host/db?currentSchema=...}): read-committed transactions and row locks.
 */
public final class Database implements AutoCloseable {

    /** Busy timeout of SQLite connections, in milliseconds. */
    public static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    /** The unit of work open on each thread (an instance field: one per database, never static). */
    private final ThreadLocal<UnitOfWork> current = new ThreadLocal<>();
    private final java.util.concurrent.atomic.LongAdder commits = new java.util.concurrent.atomic.LongAdder();

    private Database(Dialect dialect, HikariDataSource dataSource) {
        this.dialect = dialect;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        configure(jdbi);
    }

    /** Opens (and migrates) the database at {@code jdbcUrl} with a default pool size. */
    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, 8);
    }

    /**
     * Opens the database at {@code jdbcUrl}, applies pending migrations, and returns it.
     *
     * @param maxPoolSize the largest number of pooled connections (SQLite readers run concurrently;
     *                    writers still take turns)
     */
    public static Database open(String jdbcUrl, int maxPoolSize) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Dialect dialect = Dialect.fromJdbcUrl(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        config.setPoolName("orchard-store");
        config.setConnectionTimeout(30_000);
        if (dialect == Dialect.SQLITE) {
            prepareSqliteFile(jdbcUrl);
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            sqlite.enforceForeignKeys(true);
            sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            config.setDataSourceProperties(sqlite.toProperties());
        } else {
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .placeholders(dialect.migrationPlaceholders())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dialect, dataSource);
    }

    /**
     * Refuses in-memory SQLite (each pooled connection would see its own empty database) and
     * creates the parent directories of the database file.
     */
    private static void prepareSqliteFile(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        if (file.isEmpty() || file.contains(":memory:") || file.contains("mode=memory")) {
            throw new IllegalArgumentException("SQLite needs a database file (jdbc:sqlite:/path/orchard.db), not an in-memory database");
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of the SQLite database " + parent, e);
        }
    }

    private static void configure(Jdbi jdbi) {
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.BIGINT) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setLong(position, value.toEpochMilli());
            }
        });
        jdbi.registerArgument(new AbstractArgumentFactory<UUID>(Types.VARCHAR) {
            @Override
            protected Argument build(UUID value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setString(position, value.toString());
            }
        });
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> {
            long millis = rs.getLong(column);
            return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
        });
        jdbi.registerColumnMapper(UUID.class, (rs, column, ctx) -> {
            String text = rs.getString(column);
            return text == null ? null : UUID.fromString(text);
        });
    }

    /** The dialect of this database. */
    public Dialect dialect() {
        return dialect;
    }

    /** The configured Jdbi (for repositories and for the few callers that need raw SQL). */
    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Runs a write transaction. On SQLite the transactions of this process take turns on a fair
     * in-process lock (the single writer) instead of spinning on the file lock; on PostgreSQL they
     * run concurrently and rely on row locks.
     *
     * <p>Inside {@link #inUnitOfWork} the work joins the unit of work's transaction (opened by the
     * first write of the unit) and commits with it; a statement that fails there dooms the whole
     * unit (it rolls back even if the failure is caught).
     */
    public <R, X extends Exception> R inTransaction(HandleCallback<R, X> work) throws X {
        UnitOfWork unit = current.get();
        if (unit != null) {
            Handle handle = unit.writeHandle();
            try {
                return work.withHandle(handle);
            } catch (RuntimeException e) {
                unit.doomed = e;
                throw e;
            }
        }
        if (dialect != Dialect.SQLITE) {
            R result = jdbi.inTransaction(work);
            commits.increment();
            return result;
        }
        writeLock.lock();
        try {
            R result = jdbi.inTransaction(work);
            commits.increment();
            return result;
        } finally {
            writeLock.unlock();
        }
    }

    /** How many write transactions (units of work included) this process has committed: for metrics and tests. */
    public long commits() {
        return commits.sum();
    }

    /**
     * Runs {@code work} as one unit of work: every repository write it makes (on this thread)
     * joins one transaction, committed once when {@code work} returns and rolled back when it
     * throws. The transaction is opened lazily, by the first write: a unit that only reads takes
     * no write transaction (on SQLite: not the single writer's lock), and reads before the first
     * write run on pooled connections as usual; after it, reads see the unit's own writes. A unit
     * of work opened inside another joins the outer one.
     *
     * @return what {@code work} returns
     */
    public <R, X extends Exception> R inUnitOfWork(UnitOfWorkCallback<R, X> work) throws X {
        if (current.get() != null) {
            return work.run();
        }
        UnitOfWork unit = new UnitOfWork();
        current.set(unit);
        try {
            R result = work.run();
            unit.commit();
            return result;
        } finally {
            try {
                unit.close();
            } finally {
                current.remove();
            }
        }
    }

    /** Whether a unit of work is open on this thread. */
    public boolean inUnitOfWork() {
        return current.get() != null;
    }

    /** The work of {@link #inUnitOfWork}. */
    @FunctionalInterface
    public interface UnitOfWorkCallback<R, X extends Exception> {
        R run() throws X;
    }

    /** One thread's unit of work: the write handle (opened by the first write) and its state. */
    private final class UnitOfWork {
        private Handle handle;
        private boolean locked;
        private RuntimeException doomed;

        Handle writeHandle() {
            if (handle == null) {
                if (dialect == Dialect.SQLITE) {
                    writeLock.lock();
                    locked = true;
                }
                Handle h = jdbi.open();
                try {
                    h.begin();
                } catch (RuntimeException e) {
                    h.close();
                    throw e;
                }
                handle = h;
                // nested jdbi.withHandle / inTransaction calls on this thread reuse this handle
                jdbi.getHandleScope().set(h);
            }
            return handle;
        }

        void commit() {
            if (handle == null) {
                return;
            }
            if (doomed != null) {
                throw new IllegalStateException("unit of work rolled back: a statement failed in it", doomed);
            }
            handle.commit();
            commits.increment();
        }

        void close() {
            try {
                if (handle != null) {
                    try {
                        if (handle.isInTransaction()) {
                            handle.rollback();
                        }
                    } finally {
                        jdbi.getHandleScope().clear();
                        handle.close();
                    }
                }
            } finally {
                if (locked) {
                    writeLock.unlock();
                }
            }
        }
    }

    /** The connection pool. */
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
