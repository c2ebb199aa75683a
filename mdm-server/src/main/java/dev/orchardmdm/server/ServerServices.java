package dev.orchardmdm.server;

import dev.orchardmdm.crypto.secrets.SecretBox;
import dev.orchardmdm.server.config.ServerConfig;
import dev.orchardmdm.store.Store;
import java.time.Clock;
import java.util.Objects;

/**
 * What route modules (device endpoints, admin API) get from the server: configuration, storage,
 * the MDM engine and its helpers. Built once at start-up by {@link OrchardServer}; accessors are
 * only ever added, never removed or changed.
 */
public final class ServerServices {
    private final ServerContext context;

    ServerServices(ServerContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** The bootstrap context: configuration, database, secrets at rest. */
    public ServerContext context() {
        return context;
    }

    /** The resolved configuration. */
    public ServerConfig config() {
        return context.config();
    }

    /** The repositories (push certificates, enrollments, devices, commands, …). */
    public Store store() {
        return context.store();
    }

    /** The secrets at rest. */
    public SecretBox secretBox() {
        return context.secretBox();
    }

    /** The clock every component uses. */
    public Clock clock() {
        return context.clock();
    }
}
