package dev.orchardmdm.store.testing;

import dev.orchardmdm.crypto.secrets.FieldCipher;
import dev.orchardmdm.crypto.secrets.SecretBox;
import dev.orchardmdm.store.Database;
import dev.orchardmdm.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class a fresh SQLite file and a fresh PostgreSQL schema, opened
 * lazily and dropped after the class. Register it as a static field and run each test on both:
 *
 * <pre>{@code
 * @RegisterExtension static final TestDatabases DBS = new TestDatabases();
 *
 * @ParameterizedTest @EnumSource(DatabaseKind.class)
 * void works(DatabaseKind kind) { Store store = DBS.store(kind); ... }
 * }</pre>
 *
 * PostgreSQL: {@code 127.0.0.1:5432}, user {@code postgres}, database {@code test}, overridable by
 * the environment variable {@code ORCHARD_TEST_POSTGRES_URL}; each class gets its own schema
 * {@code t_<random>} ({@code currentSchema} in the URL), dropped with CASCADE afterwards.
 * {@code ORCHARD_TEST_POSTGRES=skip} skips the PostgreSQL runs explicitly; otherwise an unreachable
 * server fails the test.
 */
public final class TestDatabases implements AfterAllCallback {
    /** Base URL of the test PostgreSQL server. */
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final Map<DatabaseKind, Database> databases = new EnumMap<>(DatabaseKind.class);
    private final Map<DatabaseKind, Store> stores = new EnumMap<>(DatabaseKind.class);
    private final FieldCipher cipher = SecretBox.of(SecretBox.Key.generate());
    private Path sqliteDir;
    private String pgSchema;

    /** The database of this kind for the running test class (opened and migrated on first use). */
    public synchronized Database database(DatabaseKind kind) {
        Database db = databases.get(kind);
        if (db == null) {
            db = kind == DatabaseKind.SQLITE ? openSqlite() : openPostgres();
            databases.put(kind, db);
        }
        return db;
    }

    /** A {@link Store} over {@link #database(DatabaseKind)}, with this class's SecretBox (random key) and the UTC clock. */
    public synchronized Store store(DatabaseKind kind) {
        return stores.computeIfAbsent(kind, k -> new Store(database(k), cipher, Clock.systemUTC()));
    }

    /** The field cipher the stores of this extension use. */
    public FieldCipher cipher() {
        return cipher;
    }

    /** The SQLite database file (after {@code database(SQLITE)} was opened). */
    public Path sqliteFile() {
        return sqliteDir.resolve("orchard.db");
    }

    /** The PostgreSQL schema name of this class (after {@code database(POSTGRESQL)} was opened). */
    public String postgresSchema() {
        return pgSchema;
    }

    /** Whether the PostgreSQL runs are skipped ({@code ORCHARD_TEST_POSTGRES=skip}). */
    public static boolean postgresSkipped() {
        return "skip".equalsIgnoreCase(System.getenv("ORCHARD_TEST_POSTGRES"));
    }

    /** The base JDBC URL of the test PostgreSQL server. */
    public static String postgresBaseUrl() {
        String url = System.getenv("ORCHARD_TEST_POSTGRES_URL");
        return url == null || url.isBlank() ? DEFAULT_POSTGRES_URL : url;
    }

    private Database openSqlite() {
        try {
            sqliteDir = Files.createTempDirectory("orchard-store-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Database.open("jdbc:sqlite:" + sqliteFile());
    }

    private Database openPostgres() {
        Assumptions.assumeFalse(postgresSkipped(), "PostgreSQL skipped: ORCHARD_TEST_POSTGRES=skip");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        String base = postgresBaseUrl();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + base + " is unreachable; start it, or set"
                    + " ORCHARD_TEST_POSTGRES=skip to skip the PostgreSQL runs explicitly", e);
        }
        pgSchema = schema;
        return Database.open(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, 6);
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        for (Database db : databases.values()) {
            db.close();
        }
        databases.clear();
        stores.clear();
        if (pgSchema != null) {
            try (Connection c = DriverManager.getConnection(postgresBaseUrl()); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
            }
            pgSchema = null;
        }
        if (sqliteDir != null) {
            try (var files = Files.list(sqliteDir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(sqliteDir);
            sqliteDir = null;
        }
    }
}
