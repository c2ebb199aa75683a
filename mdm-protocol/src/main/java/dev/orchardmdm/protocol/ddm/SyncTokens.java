package dev.orchardmdm.protocol.ddm;

import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.ProtocolException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The tokens response ({@code {"SyncTokens": {"DeclarationsToken", "Timestamp"}}}): the answer to the
 * {@code tokens} endpoint and the {@code Data} of the DeclarativeManagement command.
 */
public record SyncTokens(String declarationsToken, Instant timestamp) {

    public SyncTokens {
        if (declarationsToken == null || declarationsToken.isEmpty()) {
            throw new IllegalArgumentException("DeclarationsToken must not be empty");
        }
        timestamp = timestamp.truncatedTo(ChronoUnit.SECONDS);
    }

    public PlistDict toDict() {
        return PlistDict.of("SyncTokens", PlistDict.of("DeclarationsToken", declarationsToken,
                "Timestamp", timestamp.toString()));
    }

    /** The JSON document. */
    public byte[] toJson() {
        return DdmJson.write(DdmJson.toJson(toDict()));
    }

    /** Reads a tokens response. */
    public static SyncTokens parse(byte[] json) throws ProtocolException {
        PlistDict t = DdmJson.readDict(json).requireDict("SyncTokens");
        try {
            return new SyncTokens(t.requireString("DeclarationsToken"), Instant.parse(t.requireString("Timestamp")));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new dev.orchardmdm.protocol.InvalidMessageException("invalid SyncTokens: " + e.getMessage());
        }
    }
}
