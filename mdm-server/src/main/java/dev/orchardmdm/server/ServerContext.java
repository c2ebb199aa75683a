package dev.orchardmdm.server;

import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.secrets.SecretBox;
import dev.orchardmdm.server.config.ConfigException;
import dev.orchardmdm.server.config.ServerConfig;
import dev.orchardmdm.server.storage.ServerIdentities;
import dev.orchardmdm.server.storage.ServerSchema;
import dev.orchardmdm.store.Database;
import dev.orchardmdm.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The bootstrap shared by the server and the CLI, composed in one place: the resolved
 * configuration, the data directory, the secrets at rest ({@link SecretBox}), the database with
 * every migration applied (mdm-store's and the server's own) and the repositories over it.
 *
 * <pre>{@code
 * ServerConfig config = new ConfigLoader().load(path);   // or .defaults()
 * try (ServerContext ctx = ServerContext.open(config)) {
 *     ctx.store().pushCertificates().list(null);
 * }
 * }</pre>
 */
public final class ServerContext implements AutoCloseable {
    private final ServerConfig config;
    private final DataDirectory dataDirectory;
    private final Clock clock;
    private final SecretBox secretBox;
    private final Database database;
    private final Store store;
    private final ServerIdentities identities;

    private ServerContext(ServerConfig config, DataDirectory dataDirectory, Clock clock, SecretBox secretBox,
                          Database database) {
        this.config = config;
        this.dataDirectory = dataDirectory;
        this.clock = clock;
        this.secretBox = secretBox;
        this.database = database;
        this.store = new Store(database, secretBox, clock);
        this.identities = new ServerIdentities(database, secretBox, clock);
    }

    /** Opens everything {@code config} describes, with the system UTC clock. */
    public static ServerContext open(ServerConfig config) throws ConfigException, IOException {
        return open(config, Clock.systemUTC());
    }

    /**
     * Opens everything {@code config} describes: creates the data directory, loads the secret keys
     * (or the generated key of the data directory), opens and migrates the database.
     *
     * @throws ConfigException if a secret key is malformed ({@code secrets.keys[i]}) or the database
     *                         cannot be opened ({@code database.url})
     * @throws IOException     if the data directory or its key file cannot be written or read
     */
    public static ServerContext open(ServerConfig config, Clock clock) throws ConfigException, IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        DataDirectory dataDirectory = new DataDirectory(config.dataDir());
        dataDirectory.create();
        SecretBox box = secretBox(config, dataDirectory);
        Database database;
        try {
            database = Database.open(config.databaseUrl());
        } catch (RuntimeException e) {
            throw new ConfigException("database.url", "cannot open the database " + config.databaseUrlRedacted()
                    + ": " + rootMessage(e), e);
        }
        try {
            ServerSchema.migrate(database);
        } catch (RuntimeException e) {
            database.close();
            throw new ConfigException("database.url", "cannot migrate the server tables: " + rootMessage(e), e);
        }
        return new ServerContext(config, dataDirectory, clock, box, database);
    }

    private static SecretBox secretBox(ServerConfig config, DataDirectory dataDirectory)
            throws ConfigException, IOException {
        if (config.secretKeys().isEmpty()) {
            try {
                return SecretBox.of(SecretBox.Key.loadOrCreate(dataDirectory.secretKeyFile()));
            } catch (MalformedDataException e) {
                throw new ConfigException("secrets.keys", "the generated key file " + dataDirectory.secretKeyFile()
                        + " is malformed: " + e.getMessage(), e);
            }
        }
        List<SecretBox.Key> keys = new ArrayList<>();
        for (int i = 0; i < config.secretKeys().size(); i++) {
            try {
                keys.add(SecretBox.Key.parse(config.secretKeys().get(i)));
            } catch (MalformedDataException e) {
                throw new ConfigException("secrets.keys[" + i + "]",
                        "expected <id>:<base64 of 32 bytes> (" + e.getMessage() + ")", e);
            }
        }
        try {
            return new SecretBox(keys, keys.get(0).id());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("secrets.keys", e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /** The resolved configuration. */
    public ServerConfig config() {
        return config;
    }

    /** The data directory. */
    public DataDirectory dataDirectory() {
        return dataDirectory;
    }

    /** The clock every component uses. */
    public Clock clock() {
        return clock;
    }

    /** The secrets at rest (also the store's field cipher). */
    public SecretBox secretBox() {
        return secretBox;
    }

    /** The open, migrated database. */
    public Database database() {
        return database;
    }

    /** The repositories (push certificates, enrollments, devices, commands, …). */
    public Store store() {
        return store;
    }

    /** The server's generated identities (embedded SCEP CA, profile signing). */
    public ServerIdentities identities() {
        return identities;
    }

    @Override
    public void close() {
        database.close();
    }
}
