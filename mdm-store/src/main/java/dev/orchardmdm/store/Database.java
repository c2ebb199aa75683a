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
     */
    public <R, X extends Exception> R inTransaction(HandleCallback<R, X> work) throws X {
        if (dialect != Dialect.SQLITE) {
            return jdbi.inTransaction(work);
        }
        writeLock.lock();
        try {
            return jdbi.inTransaction(work);
        } finally {
            writeLock.unlock();
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
