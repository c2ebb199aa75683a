package dev.orchardmdm.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.cli.CliException;
import dev.orchardmdm.cli.Terminal;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.store.StoreException;
import java.util.Map;

/**
 * Writes the audit event of an administration command: actor {@code cli:<user>} (the operating
 * system user), the action, the object, and a detail that never holds a secret.
 */
final class Audit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Audit() {
    }

    static String actor(Terminal terminal) {
        return "cli:" + terminal.env("USER").or(() -> terminal.env("USERNAME")).orElse("unknown");
    }

    static void record(ServerContext context, Terminal terminal, String action, String objectType, long objectId,
                       Map<String, ?> detail) throws CliException {
        try {
            context.store().auditLog().record(actor(terminal), action, objectType, Long.toString(objectId),
                    JSON.writeValueAsString(detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the audit detail", e);
        } catch (StoreException e) {
            throw new CliException("the change was made but its audit event could not be written: "
                    + e.getMessage(), e);
        }
    }
}
