package dev.orchardmdm.protocol;

import java.util.Locale;
import java.util.UUID;

/**
 * An MDM command: {@code CommandUUID}, {@code RequestType} and the other keys of the {@code Command} dictionary.
 * {@link #toPlist()} gives exactly what a device expects:
 * <pre>{@code {CommandUUID: "...", Command: {RequestType: "...", ...payload}}}</pre>
 * Build one with {@link Commands} (typed builders and the generic {@link Commands#custom(PlistDict)}).
 *
 * @param commandUuid the command's UUID (any 1-128 printable ASCII characters; builders use an upper-case UUID)
 * @param requestType the RequestType
 * @param payload     the other keys of the Command dictionary (never contains RequestType)
 */
public record Command(String commandUuid, String requestType, PlistDict payload) {

    public Command {
        try {
            checkUuid(commandUuid);
        } catch (InvalidMessageException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (requestType == null || requestType.isBlank()) {
            throw new IllegalArgumentException("RequestType must not be empty");
        }
        if (payload.has("RequestType")) {
            payload = payload.without("RequestType");
        }
    }

    /** A command with a new random upper-case UUID. */
    public static Command of(String requestType, PlistDict payload) {
        return new Command(newUuid(), requestType, payload);
    }

    /** A new random command UUID, upper case as Apple's own tools produce. */
    public static String newUuid() {
        return UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    }

    static void checkUuid(String uuid) throws InvalidMessageException {
        if (uuid == null || uuid.isEmpty() || uuid.length() > 128) {
            throw new InvalidMessageException("CommandUUID must be 1-128 characters");
        }
        for (int i = 0; i < uuid.length(); i++) {
            char c = uuid.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new InvalidMessageException("CommandUUID has a forbidden character");
            }
        }
    }

    /** The same command with another UUID. */
    public Command withUuid(String uuid) {
        return new Command(uuid, requestType, payload);
    }

    /** The Command dictionary: RequestType first, then the payload. */
    public PlistDict commandDict() {
        return PlistDict.builder().put("RequestType", requestType).putAll(payload).build();
    }

    /** The full document as a dictionary: {@code {CommandUUID, Command}}. */
    public PlistDict toDict() {
        return PlistDict.builder().put("CommandUUID", commandUuid).put("Command", commandDict()).build();
    }

    /** The XML plist a device expects (UTF-8). */
    public byte[] toPlist() {
        return toDict().toXml();
    }

    /**
     * Reads a command document, either the full form {@code {CommandUUID, Command: {RequestType, ...}}} or a bare
     * Command dictionary {@code {RequestType, ...}} (a new UUID is then assigned).
     */
    public static Command fromDict(PlistDict doc) throws InvalidMessageException {
        if (doc.has("Command")) {
            PlistDict cmd = doc.requireDict("Command");
            String uuid = doc.string("CommandUUID").orElseGet(Command::newUuid);
            checkUuid(uuid);
            return new Command(uuid, requireRequestType(cmd), cmd);
        }
        return new Command(newUuid(), requireRequestType(doc), doc);
    }

    /** Parses a command plist (either form, see {@link #fromDict(PlistDict)}). */
    public static Command parse(byte[] plist) throws ProtocolException {
        return fromDict(PlistReader.withDefaults().readDictionary(plist));
    }

    private static String requireRequestType(PlistDict cmd) throws InvalidMessageException {
        String rt = cmd.requireString("RequestType");
        if (rt.isBlank()) {
            throw new InvalidMessageException("RequestType must not be empty");
        }
        return rt;
    }
}
