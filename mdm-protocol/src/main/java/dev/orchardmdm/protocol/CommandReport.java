package dev.orchardmdm.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a device PUTs to the connect endpoint: the result of the previous command (or Idle). The decoded routing
 * fields sit beside the whole {@link #raw()} dictionary, from which the typed response views in
 * {@code dev.orchardmdm.protocol.response} read.
 *
 * @param id          the enrollment identity (device or user channel)
 * @param status      Status
 * @param commandUuid CommandUUID, absent for Idle
 * @param errorChain  ErrorChain (empty unless an error)
 * @param raw         the full report, i.e. the response dictionary
 */
public record CommandReport(EnrollmentId id, CommandStatus status, Optional<String> commandUuid,
                            List<ErrorChainItem> errorChain, PlistDict raw) {

    public CommandReport {
        errorChain = List.copyOf(errorChain);
    }

    /** Parses a connect body with {@link PlistReader#withDefaults()}. */
    public static CommandReport parse(byte[] body) throws ProtocolException {
        return parse(body, PlistReader.withDefaults());
    }

    /** Parses a connect body with the given reader. */
    public static CommandReport parse(byte[] body, PlistReader reader) throws ProtocolException {
        return from(reader.readDictionary(body));
    }

    /**
     * Decodes an already-read dictionary.
     *
     * @throws InvalidMessageException for a missing/unknown Status, a missing CommandUUID on a non-Idle report,
     *                                 missing identity, or mistyped keys
     */
    public static CommandReport from(PlistDict m) throws InvalidMessageException {
        EnrollmentId id = EnrollmentId.from(m);
        CommandStatus status = CommandStatus.fromWire(m.requireString("Status"));
        Optional<String> uuid = m.string("CommandUUID").filter(s -> !s.isEmpty());
        if (uuid.isEmpty() && status != CommandStatus.Idle) {
            throw new InvalidMessageException("a " + status + " report must carry a CommandUUID");
        }
        if (uuid.isPresent()) {
            Command.checkUuid(uuid.get());
        }
        List<ErrorChainItem> chain = new ArrayList<>();
        for (PlistDict d : m.dictArray("ErrorChain")) {
            chain.add(ErrorChainItem.from(d));
        }
        return new CommandReport(id, status, uuid, chain, m);
    }

    public boolean isIdle() {
        return status == CommandStatus.Idle;
    }

    /** The {@code RequestType} key, which some responses repeat (absent in most). */
    public Optional<String> requestType() {
        return raw.get("RequestType") instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
