package dev.orchardmdm.dep.ade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.crypto.abm.ServerTokens;
import dev.orchardmdm.dep.AbmTokenFormatException;
import dev.orchardmdm.dep.http.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * The OAuth 1 credentials of an ADE server token: the JSON inside the {@code .p7m} file that Apple Business Manager
 * gives for an MDM server, once decrypted by mdm-crypto's {@link ServerTokens} (see {@link #from}).
 *
 * @param consumerKey       {@code consumer_key} (starts with {@code CK_})
 * @param consumerSecret    {@code consumer_secret} (starts with {@code CS_})
 * @param accessToken       {@code access_token} (starts with {@code AT_})
 * @param accessSecret      {@code access_secret} (starts with {@code AS_})
 * @param accessTokenExpiry {@code access_token_expiry}: the token is refused after this instant
 */
public record AdeServerToken(String consumerKey, String consumerSecret, String accessToken, String accessSecret,
                             Instant accessTokenExpiry) {

    private static final int MAX_LENGTH = 64 * 1024;

    public AdeServerToken {
        Objects.requireNonNull(consumerKey, "consumerKey");
        Objects.requireNonNull(consumerSecret, "consumerSecret");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(accessSecret, "accessSecret");
        Objects.requireNonNull(accessTokenExpiry, "accessTokenExpiry");
    }

    /**
     * Parses the decrypted token: either the bare JSON object, or the S/MIME text in which Apple wraps it between
     * {@code -----BEGIN MESSAGE-----} and {@code -----END MESSAGE-----}.
     */
    public static AdeServerToken parse(String text) throws AbmTokenFormatException {
        if (text == null || text.length() > MAX_LENGTH) {
            throw new AbmTokenFormatException("ADE server token missing or too large");
        }
        String json = text;
        int begin = text.indexOf("-----BEGIN MESSAGE-----");
        if (begin >= 0) {
            int end = text.indexOf("-----END MESSAGE-----", begin);
            if (end < 0) {
                throw new AbmTokenFormatException("ADE server token: BEGIN MESSAGE without END MESSAGE");
            }
            json = text.substring(begin + "-----BEGIN MESSAGE-----".length(), end);
        }
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(json.trim());
        } catch (IOException e) {
            throw new AbmTokenFormatException("ADE server token is not JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new AbmTokenFormatException("ADE server token is not a JSON object");
        }
        String expiry = field(node, "access_token_expiry");
        Instant expiresAt = Json.parseInstant(expiry);
        if (expiresAt == null) {
            throw new AbmTokenFormatException("ADE server token: access_token_expiry is not a timestamp");
        }
        return new AdeServerToken(field(node, "consumer_key"), field(node, "consumer_secret"),
                field(node, "access_token"), field(node, "access_secret"), expiresAt);
    }

    /**
     * Adapts the credentials mdm-crypto decrypted from the {@code .p7m} server token
     * ({@link ServerTokens#decrypt(byte[], dev.orchardmdm.crypto.keys.KeyAndChain)}).
     */
    public static AdeServerToken from(ServerTokens.OAuthTokens tokens) throws AbmTokenFormatException {
        Objects.requireNonNull(tokens, "tokens");
        Instant expiresAt = Json.parseInstant(tokens.accessTokenExpiry());
        if (expiresAt == null) {
            throw new AbmTokenFormatException("ADE server token: access_token_expiry is not a timestamp");
        }
        return new AdeServerToken(tokens.consumerKey(), tokens.consumerSecret(), tokens.accessToken(),
                tokens.accessSecret(), expiresAt);
    }

    private static String field(JsonNode node, String name) throws AbmTokenFormatException {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new AbmTokenFormatException("ADE server token: field '" + name + "' missing or empty");
        }
        return value.asText();
    }

    /** True when the token is no longer valid at {@code now}. */
    public boolean isExpired(Instant now) {
        return !now.isBefore(accessTokenExpiry);
    }

    /** Shows the consumer key and expiry only: the secrets are never printed. */
    @Override
    public String toString() {
        return "AdeServerToken[consumerKey=" + consumerKey + ", accessTokenExpiry=" + accessTokenExpiry
                + ", secrets=<redacted>]";
    }
}
