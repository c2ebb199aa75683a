package dev.orchardmdm.cli.admin;

import dev.orchardmdm.cli.CliException;
import dev.orchardmdm.cli.Terminal;
import dev.orchardmdm.server.ServerContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mdm migrate}: applies pending database migrations (the server also does at start-up). */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Create or upgrade the database schema of the server's configuration.",
                "The server migrates at start-up too; run this before starting several replicas of a new version."})
public final class MigrateCommand implements Callable<Integer> {
    private final Terminal terminal;
    @Spec CommandSpec spec;

    MigrateCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws CliException {
        try (ServerContext context = ConfigOption.open(spec, terminal)) {
            terminal.out().println("Database " + context.config().databaseUrlRedacted() + " is up to date:"
                    + " store schema version " + latestVersion(context, "flyway_schema_history") + ".");
        }
        return 0;
    }

    /** The latest successfully applied version recorded in a Flyway history table. */
    private static String latestVersion(ServerContext context, String historyTable) {
        return context.database().jdbi().withHandle(h -> h.createQuery("SELECT version FROM " + historyTable
                        + " WHERE success = TRUE AND version IS NOT NULL ORDER BY installed_rank DESC")
                .mapTo(String.class).findFirst().orElse("none"));
    }
}
