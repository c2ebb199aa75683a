package dev.orchardmdm.cli.admin;

import dev.orchardmdm.cli.CliException;
import dev.orchardmdm.cli.Terminal;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigException;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}: the server's configuration file. The administration commands open what the
 * server opens — data directory, secret keys, database — through the server's own loader and
 * bootstrap ({@link ConfigLoader}, {@link ServerContext}), so both always agree on the defaults.
 */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The server's configuration file (JSON). Without it, the server's defaults:"
                    + " data directory ./orchard-data, SQLite database in it.")
    Path file;

    /** The resolved configuration: {@code --config FILE}, or the server's defaults. */
    ServerConfig config(Terminal terminal) throws CliException {
        ConfigLoader loader = new ConfigLoader(name -> terminal.env(name).orElse(null),
                Path.of("").toAbsolutePath());
        if (file == null) {
            return loader.defaults();
        }
        try {
            return loader.load(file);
        } catch (ConfigException e) {
            throw new CliException("invalid configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens the server's data directory, secrets and (migrated) database. */
    ServerContext open(Terminal terminal) throws CliException {
        ServerConfig config = config(terminal);
        try {
            return ServerContext.open(config);
        } catch (ConfigException e) {
            throw new CliException("cannot open the server's data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException("cannot open the data directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }
}
