package dev.orchardmdm.dep.abmapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmApiException;
import dev.orchardmdm.dep.AbmAuthException;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.HttpExchange;
import dev.orchardmdm.dep.http.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains and caches the API account's access token: {@code POST} to the token URL with a fresh client assertion,
 * reuse until shortly before it expires, drop it when the API answers 401. Thread-safe.
 */
final class AccessTokens {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** Apple's tokens last an hour; a longer {@code expires_in} is not believed. */
    static final long MAX_EXPIRES_IN = 24 * 3600;
    private static final long DEFAULT_EXPIRES_IN = 3600;
    private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);

    private record Token(String value, Instant renewAt) {
    }

    private final AbmApiCredentials credentials;
    private final HttpUrl tokenUrl;
    private final HttpExchange http;
    private final Clock clock;
    private final Duration assertionLifetime;
    private final Duration renewMargin;
    private final Object lock = new Object();
    private Token token;

    AccessTokens(AbmApiCredentials credentials, HttpUrl tokenUrl, HttpExchange http, Clock clock,
                 Duration assertionLifetime, Duration renewMargin) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.tokenUrl = Objects.requireNonNull(tokenUrl, "tokenUrl");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.assertionLifetime = Objects.requireNonNull(assertionLifetime, "assertionLifetime");
        this.renewMargin = Objects.requireNonNull(renewMargin, "renewMargin");
    }

    /** The cached access token, or a new one when there is none or it is about to expire. */
    String current() throws AbmException {
        synchronized (lock) {
            if (token == null || !clock.instant().isBefore(token.renewAt())) {
                token = request();
            }
            return token.value();
        }
    }

    /** Forgets {@code used} (the API refused it), unless another thread already replaced it. */
    void invalidate(String used) {
        synchronized (lock) {
            if (token != null && token.value().equals(used)) {
                token = null;
            }
        }
    }

    private Token request() throws AbmException {
        Instant now = clock.instant();
        String assertion = ClientAssertion.create(credentials, tokenUrl.toString(), now, assertionLifetime);
        FormBody form = new FormBody.Builder()
                .add("grant_type", "client_credentials")
                .add("client_id", credentials.clientId())
                .add("client_assertion_type", ASSERTION_TYPE)
                .add("client_assertion", assertion)
                .add("scope", credentials.scope())
                .build();
        HttpExchange.Reply reply = http.send(() -> new Request.Builder().url(tokenUrl).post(form)
                .header("Accept", "application/json")
                .header("User-Agent", "orchard-mdm-dep")
                .build());
        String what = "ABM API token";
        if (!reply.successful()) {
            String code = errorCode(reply);
            String message = "the token endpoint answered " + reply.status() + (code == null ? "" : " " + code)
                    + " for client " + credentials.clientId();
            if (reply.status() == 400 || reply.status() == 401 || reply.status() == 403) {
                throw new AbmAuthException(message, reply.status(), code);
            }
            throw new AbmApiException(message, reply.status(), code);
        }
        JsonNode node = http.jsonObject(reply, what);
        String value = Json.text(node, "access_token", what);
        String type = Json.optText(node, "token_type", what);
        if (type != null && !type.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new AbmResponseException(what + ": token_type " + type + " is not Bearer", reply.status());
        }
        long expiresIn = Json.optLong(node, "expires_in", DEFAULT_EXPIRES_IN, what);
        if (expiresIn < 1 || expiresIn > MAX_EXPIRES_IN) {
            throw new AbmResponseException(what + ": expires_in " + expiresIn + " out of range", reply.status());
        }
        long early = Math.max(expiresIn - renewMargin.toSeconds(), expiresIn / 2);
        LOG.debug("new ABM API access token for {}, valid {} s", credentials.clientId(), expiresIn);
        return new Token(value, now.plusSeconds(early));
    }

    /** OAuth's {@code error} field ({@code invalid_client}, {@code invalid_scope}, ...), when the body has one. */
    private String errorCode(HttpExchange.Reply reply) {
        try {
            String code = Json.optText(http.jsonObject(reply, "token error"), "error", "token error");
            return code != null && code.matches("[A-Za-z0-9_.-]{1,64}") ? code : null;
        } catch (AbmResponseException e) {
            return null;
        }
    }
}
