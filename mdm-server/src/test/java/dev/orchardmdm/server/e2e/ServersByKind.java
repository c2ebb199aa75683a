package dev.orchardmdm.server.e2e;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** One {@link TestServer} per database kind, started on first use, each with an admin API token. */
final class ServersByKind implements AutoCloseable {
    private final TestDatabases dbs;
    private final Path dir;
    private final String extraConfig;
    private final Set<String> permissions;
    private final Map<DatabaseKind, TestServer> servers = new EnumMap<>(DatabaseKind.class);
    private final Map<DatabaseKind, String> tokens = new EnumMap<>(DatabaseKind.class);

    /**
     * @param extraConfig spliced into each server's configuration (see {@link TestServer#start})
     * @param permissions the permissions of the API token created on each server
     */
    ServersByKind(TestDatabases dbs, Path dir, String extraConfig, Set<String> permissions) {
        this.dbs = dbs;
        this.dir = dir;
        this.extraConfig = extraConfig;
        this.permissions = Set.copyOf(permissions);
    }

    synchronized TestServer server(DatabaseKind kind) throws Exception {
        TestServer s = servers.get(kind);
        if (s == null) {
            Path d = dir.resolve(kind.name());
            Files.createDirectories(d);
            s = TestServer.start(dbs, kind, d, extraConfig);
            servers.put(kind, s);
            tokens.put(kind, s.context.store().apiTokens().create("e2e-admin", permissions, null).secret());
        }
        return s;
    }

    /** The API token of the server of {@code kind} (started by {@link #server}). */
    synchronized String token(DatabaseKind kind) {
        return tokens.get(kind);
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(TestServer::close);
        servers.clear();
    }
}
