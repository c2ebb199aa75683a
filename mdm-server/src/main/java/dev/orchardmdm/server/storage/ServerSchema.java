package dev.orchardmdm.server.storage;

import dev.orchardmdm.store.Database;
import org.flywaydb.core.Flyway;

/**
 * Migrates mdm-server's own tables ({@code db/server/}), with their own Flyway history table so
 * that their versions never mix with mdm-store's.
 */
public final class ServerSchema {
    /** The Flyway history table of the server's tables. */
    public static final String HISTORY_TABLE = "orchard_server_schema_history";

    private ServerSchema() {
    }

    /** Applies the pending migrations of the server's tables to {@code database}. */
    public static void migrate(Database database) {
        Flyway.configure()
                .dataSource(database.dataSource())
                .locations("classpath:db/server")
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .placeholders(database.dialect().migrationPlaceholders())
                .load()
                .migrate();
    }
}
