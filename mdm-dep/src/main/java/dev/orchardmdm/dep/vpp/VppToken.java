package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.dep.AbmTokenFormatException;
import dev.orchardmdm.dep.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * An Apps and Books content token (the {@code .vpptoken} file downloaded from Apple Business / School Manager for a
 * location): base64 of a JSON object with {@code token}, {@code expDate} and {@code orgName}. The whole base64 text
 * is the {@code sToken} sent as {@code Authorization: Bearer}.
 *
 * @param sToken    the file's content, trimmed: what the service expects as bearer token
 * @param token     the inner {@code token} value
 * @param expiresAt {@code expDate}
 * @param orgName   {@code orgName}: the organisation (and location) name
 */
public record VppToken(String sToken, String token, Instant expiresAt, String orgName) {

    private static final int MAX_LENGTH = 64 * 1024;

    public VppToken {
        Objects.requireNonNull(sToken, "sToken");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(orgName, "orgName");
    }

    /** Parses the content of a {@code .vpptoken} file. */
    public static VppToken parse(String fileContent) throws AbmTokenFormatException {
        if (fileContent == null || fileContent.isBlank() || fileContent.length() > MAX_LENGTH) {
            throw new AbmTokenFormatException("Apps and Books token missing or too large");
        }
        String sToken = fileContent.strip();
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(sToken.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new AbmTokenFormatException("Apps and Books token is not base64", e);
        }
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(new String(decoded, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AbmTokenFormatException("Apps and Books token does not hold JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new AbmTokenFormatException("Apps and Books token does not hold a JSON object");
        }
        String token = field(node, "token");
        String orgName = field(node, "orgName");
        Instant expiresAt = Json.parseInstant(field(node, "expDate"));
        if (expiresAt == null) {
            throw new AbmTokenFormatException("Apps and Books token: expDate is not a timestamp");
        }
        return new VppToken(sToken, token, expiresAt, orgName);
    }

    private static String field(JsonNode node, String name) throws AbmTokenFormatException {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new AbmTokenFormatException("Apps and Books token: field '" + name + "' missing or empty");
        }
        return value.asText();
    }

    /** True when the token is no longer valid at {@code now}. */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Shows the organisation and expiry only. */
    @Override
    public String toString() {
        return "VppToken[orgName=" + orgName + ", expiresAt=" + expiresAt + ", token=<redacted>]";
    }
}
