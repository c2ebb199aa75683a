package dev.orchardmdm.protocol;

/**
 * Builders for MDM commands. Every typed builder returns a {@link Command} with a new random UUID; the generic
 * {@link #custom(PlistDict)} takes any Command dictionary (a "custom command").
 */
public final class Commands {
    private Commands() {
    }

    /**
     * The generic builder: a Command dictionary holding {@code RequestType} and any other keys, or a full
     * {@code {CommandUUID, Command}} document.
     *
     * @throws InvalidMessageException when RequestType is missing or not a string
     */
    public static Command custom(PlistDict commandDict) throws InvalidMessageException {
        return Command.fromDict(commandDict);
    }

    /** The generic builder from a request type and the other keys. */
    public static Command custom(String requestType, PlistDict payload) {
        return Command.of(requestType, payload);
    }
}
