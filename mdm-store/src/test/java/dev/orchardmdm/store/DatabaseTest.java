package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatabaseTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    @Test
    void sqliteIsOpenedInWalWithForeignKeysAndABusyTimeoutAndReopensWithoutRemigrating(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("orchard.db");
        try (Database db = Database.open(url, 2)) {
            assertThat(db.dialect()).isEqualTo(Dialect.SQLITE);
            db.jdbi().useHandle(h -> {
                assertThat(h.createQuery("PRAGMA journal_mode").mapTo(String.class).one()).isEqualToIgnoringCase("wal");
                assertThat(h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one()).isEqualTo(1);
                assertThat(h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one()).isEqualTo(Database.SQLITE_BUSY_TIMEOUT_MS);
            });
            assertThat(Files.exists(dir.resolve("orchard.db-wal"))).isTrue();
        }
        try (Database again = Database.open(url, 2)) {
            int applied = again.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")
                    .mapTo(Integer.class).one());
            assertThat(applied).isEqualTo(4);
        }
    }

    @Test
    void sqliteCreatesTheDirectoryOfItsFileAndRefusesInMemoryDatabases(@TempDir Path dir) {
        Path file = dir.resolve("data/orchard/orchard.db");
        try (Database db = Database.open("jdbc:sqlite:" + file, 1)) {
            assertThat(Files.exists(file)).isTrue();
        }
        assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Database.open("jdbc:sqlite:file::memory:?cache=shared")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void foreignKeysAreEnforcedOnBoth(DatabaseKind kind) {
        Database db = DBS.database(kind);
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("INSERT INTO enrolled_users (enrolled_device_id, user_id,"
                + " enrollment_id, created_at, updated_at) VALUES (-42, 'u', 'e', 0, 0)")))
                .satisfies(e -> assertThat(db.dialect().isForeignKeyViolation(e)).isTrue());
        String version = db.jdbi().withHandle(h -> h.createQuery("SELECT MAX(version) FROM flyway_schema_history")
                .mapTo(String.class).one());
        assertThat(version).isEqualTo("4");
    }

    @Test
    void onlySqliteAndPostgresqlUrlsAreAccepted() {
        assertThat(Dialect.fromJdbcUrl("jdbc:postgresql://127.0.0.1/test")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.fromJdbcUrl("JDBC:SQLITE:/tmp/x.db")).isEqualTo(Dialect.SQLITE);
        assertThatThrownBy(() -> Dialect.fromJdbcUrl("jdbc:mysql://localhost/x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Dialect.POSTGRESQL.skipLocked()).contains("SKIP LOCKED");
        assertThat(Dialect.SQLITE.skipLocked()).isEmpty();
    }
}
