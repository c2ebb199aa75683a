package dev.orchardmdm.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A command to queue.
 *
 * @param name             Orchard's name of the command (Zentral's {@code db_name}), usually the request type
 * @param commandPlist     the raw command plist (without secret values)
 * @param secretArguments  secret values (PINs, passwords) that the engine merges into the plist when
 *                         it sends the command; stored encrypted
 * @param notBefore        not to be sent before this instant (null: at once)
 */
public record NewCommand(UUID uuid, CommandTarget target, String requestType, String name, String artifactVersion,
                         String artifactOperation, byte[] commandPlist, Map<String, String> secretArguments,
                         Instant notBefore) {
    public NewCommand {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(requestType, "requestType");
        Objects.requireNonNull(commandPlist, "commandPlist");
        name = name == null ? requestType : name;
        secretArguments = secretArguments == null ? Map.of() : Map.copyOf(secretArguments);
    }

    /** A command with no artifact, no secrets, due at once. */
    public static NewCommand of(UUID uuid, CommandTarget target, String requestType, byte[] commandPlist) {
        return new NewCommand(uuid, target, requestType, null, null, null, commandPlist, Map.of(), null);
    }
}
