package dev.orchardmdm.server;

import dev.orchardmdm.server.config.ServerConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;

/**
 * The bootstrap shared by the server and the CLI: the resolved configuration, the data
 * directory, the database (migrated) and the secrets at rest. Open it with {@link #open}, close it
 * when done.
 */
public final class ServerContext implements AutoCloseable {
    private final ServerConfig config;
    private final DataDirectory dataDirectory;
    private final Clock clock;

    private ServerContext(ServerConfig config, DataDirectory dataDirectory, Clock clock) {
        this.config = config;
        this.dataDirectory = dataDirectory;
        this.clock = clock;
    }

    /** Opens everything {@code config} describes, with the system UTC clock. */
    public static ServerContext open(ServerConfig config) throws IOException {
        return open(config, Clock.systemUTC());
    }

    /** Opens everything {@code config} describes. */
    public static ServerContext open(ServerConfig config, Clock clock) throws IOException {
        Objects.requireNonNull(config, "config");
        DataDirectory dataDirectory = new DataDirectory(config.dataDir());
        dataDirectory.create();
        return new ServerContext(config, dataDirectory, clock);
    }

    /** The resolved configuration. */
    public ServerConfig config() {
        return config;
    }

    /** The data directory. */
    public DataDirectory dataDirectory() {
        return dataDirectory;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
    }
}
