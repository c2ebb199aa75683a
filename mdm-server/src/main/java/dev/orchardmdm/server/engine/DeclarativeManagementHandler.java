package dev.orchardmdm.server.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.store.EnrolledDevice;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Declarative management check-ins. The declaration set of every device is empty for now:
 * {@code tokens} and {@code declaration-items} describe the empty set (with a stable token),
 * {@code status} reports are validated as JSON objects and stored, and a {@code declaration/…}
 * fetch is a 404.
 */
public final class DeclarativeManagementHandler {
    /** A status report larger than this is refused. */
    public static final int MAX_STATUS_BYTES = 1 << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Where status reports go. */
    @FunctionalInterface
    public interface StatusReportSink {
        void store(String enrollmentId, String json);
    }

    private final StatusReportSink sink;

    public DeclarativeManagementHandler(StatusReportSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Answers one DeclarativeManagement check-in of {@code device}. */
    public MdmResponse handle(EnrolledDevice device, CheckinMessage.DeclarativeManagement message)
            throws MdmException {
        String endpoint = message.endpoint();
        String token = declarationsToken(List.of());
        if ("tokens".equals(endpoint)) {
            Map<String, Object> sync = new LinkedHashMap<>();
            sync.put("DeclarationsToken", token);
            sync.put("Timestamp", device.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
            return json(Map.of("SyncTokens", sync));
        }
        if ("declaration-items".equals(endpoint)) {
            Map<String, Object> declarations = new LinkedHashMap<>();
            declarations.put("Activations", List.of());
            declarations.put("Assets", List.of());
            declarations.put("Configurations", List.of());
            declarations.put("Management", List.of());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Declarations", declarations);
            body.put("DeclarationsToken", token);
            return json(body);
        }
        if ("status".equals(endpoint)) {
            byte[] data = message.data().orElseThrow(() -> new MdmException.BadRequest("status report without Data"))
                    .bytes();
            if (data.length > MAX_STATUS_BYTES) {
                throw new MdmException.BadRequest("status report larger than " + MAX_STATUS_BYTES + " bytes");
            }
            JsonNode report;
            try {
                report = MAPPER.readTree(data);
            } catch (java.io.IOException e) {
                throw new MdmException.BadRequest("status report is not JSON");
            }
            if (report == null || !report.isObject()) {
                throw new MdmException.BadRequest("status report must be a JSON object");
            }
            sink.store(message.id().id(), report.toString());
            return MdmResponse.empty();
        }
        if (endpoint.startsWith("declaration/")) {
            throw new MdmException.NotFound("no such declaration");
        }
        throw new MdmException.BadRequest("unknown declarative management endpoint");
    }

    /** The token of a declaration set: SHA-1 over its sorted identifiers and server tokens. */
    static String declarationsToken(List<String> identifiersAndTokens) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            identifiersAndTokens.stream().sorted().forEach(s -> sha1.update((s + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MdmResponse json(Object body) {
        try {
            return MdmResponse.json(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
