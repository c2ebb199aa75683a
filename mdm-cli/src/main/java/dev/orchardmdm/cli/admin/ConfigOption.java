package dev.orchardmdm.cli.admin;

import dev.orchardmdm.cli.CliException;
import dev.orchardmdm.cli.Mdm;
import dev.orchardmdm.cli.Terminal;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigException;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The server's configuration, from the global {@code --config FILE} ({@link Mdm#configFile()}, given
 * anywhere on the command line). The administration commands open what the server opens — data directory, secret keys, database — through the server's own loader and
 * bootstrap ({@link ConfigLoader}, {@link ServerContext}), so both always agree on the defaults.
 */
final class ConfigOption {
    private ConfigOption() {
    }

    /** The resolved configuration: {@code --config FILE}, or the server's defaults. */
    static ServerConfig config(CommandSpec command, Terminal terminal) throws CliException {
        ConfigLoader loader = new ConfigLoader(name -> terminal.env(name).orElse(null),
                Path.of("").toAbsolutePath());
        Path file = file(command);
        if (file == null) {
            return loader.defaults();
        }
        try {
            return loader.load(file);
        } catch (ConfigException e) {
            throw new CliException("invalid configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** The {@code --config} file given anywhere on the command line, or null. */
    static Path file(CommandSpec command) {
        return command.root().userObject() instanceof Mdm mdm ? mdm.configFile() : null;
    }

    /** Opens the server's data directory, secrets and (migrated) database. */
    static ServerContext open(CommandSpec command, Terminal terminal) throws CliException {
        ServerConfig config = config(command, terminal);
        try {
            return ServerContext.open(config);
        } catch (ConfigException e) {
            throw new CliException("cannot open the server's data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException("cannot open the data directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }
}
