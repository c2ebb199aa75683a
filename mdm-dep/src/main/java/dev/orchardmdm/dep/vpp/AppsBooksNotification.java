package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A notification Apple posts to the location's {@code notificationUrl}. The receiving endpoint must check the bearer
 * token (the {@code notificationAuthToken} set with {@link ClientConfigUpdate}) before parsing the body.
 *
 * @param notificationId   unique id (deduplicate on it: Apple may deliver twice)
 * @param notificationType {@code ASSET_MANAGEMENT}, {@code ASSET_COUNT}, {@code TEST_NOTIFICATION}, ...
 * @param uId              the location's id
 * @param payload          the typed content
 */
public record AppsBooksNotification(String notificationId, String notificationType, String uId, Payload payload) {

    /** The largest body accepted. */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    public AppsBooksNotification {
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(notificationType, "notificationType");
        Objects.requireNonNull(payload, "payload");
    }

    /** The typed content of a notification. */
    public sealed interface Payload permits AssetManagement, AssetCount, Test, Other {
    }

    /**
     * The outcome of an associate / disassociate / revoke request.
     *
     * @param eventId      the {@code eventId} returned by {@link AppsBooksClient#associate} or
     *                     {@link AppsBooksClient#disassociate}
     * @param type         {@code ASSOCIATE}, {@code DISASSOCIATE} or {@code REVOKE}
     * @param success      {@code result == SUCCESS}
     * @param assignments  the licenses concerned
     * @param errorNumber  Apple's error number on failure, else -1
     */
    public record AssetManagement(String eventId, String type, boolean success, List<Assignment> assignments,
                                  int errorNumber) implements Payload {
        public AssetManagement {
            assignments = List.copyOf(assignments);
        }
    }

    /**
     * The license count of an asset changed (purchase, transfer, refund).
     *
     * @param asset      the asset
     * @param countDelta licenses added (negative: removed)
     */
    public record AssetCount(AssetRef asset, long countDelta) implements Payload {
    }

    /** A test notification. */
    public record Test() implements Payload {
    }

    /**
     * A notification type this library does not model; its JSON is kept.
     *
     * @param rawJson the {@code notification} object as sent
     */
    public record Other(String rawJson) implements Payload {
    }

    /** Parses a notification body; anything malformed is an {@link AbmResponseException}. */
    public static AppsBooksNotification parse(byte[] body) throws AbmResponseException {
        String what = "Apps and Books notification";
        if (body == null || body.length == 0 || body.length > MAX_BODY_BYTES) {
            throw new AbmResponseException(what + ": empty or too large", 0);
        }
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new AbmResponseException(what + ": malformed JSON", 0, e);
        }
        if (node == null || !node.isObject()) {
            throw new AbmResponseException(what + ": not a JSON object", 0);
        }
        String type = Json.text(node, "notificationType", what);
        JsonNode content = node.get("notification");
        if (content == null || !content.isObject()) {
            throw new AbmResponseException(what + ": 'notification' missing or not an object", 0);
        }
        Payload payload = switch (type) {
            case "ASSET_MANAGEMENT" -> {
                List<Assignment> assignments = new ArrayList<>();
                JsonNode list = content.get("assignments");
                if (list != null && list.isArray()) {
                    for (JsonNode a : list) {
                        assignments.add(Assignment.fromJson(a));
                    }
                }
                String result = Json.text(content, "result", what);
                if (!result.equals("SUCCESS") && !result.equals("FAILURE")) {
                    throw new AbmResponseException(what + ": unknown result", 0);
                }
                yield new AssetManagement(Json.text(content, "eventId", what), Json.text(content, "type", what),
                        result.equals("SUCCESS"), assignments,
                        (int) Json.optLong(content.path("error"), "errorNumber", -1, what));
            }
            case "ASSET_COUNT" -> new AssetCount(new AssetRef(Json.text(content, "adamId", what),
                    Json.text(content, "pricingParam", what)), Json.optLong(content, "countDelta", 0, what));
            case "TEST_NOTIFICATION" -> new Test();
            default -> new Other(content.toString());
        };
        return new AppsBooksNotification(Json.text(node, "notificationId", what), type,
                Json.optText(node, "uId", what), payload);
    }
}
