package dev.orchardmdm.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON HTTP client for admin API tests. */
public final class ApiTestClient {

    /** A response: status, headers, body bytes and the body parsed as JSON (or null). */
    public record Reply(int status, HttpResponse<byte[]> raw, JsonNode json) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String base;

    public ApiTestClient(String base) {
        this.base = base;
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    public Reply post(String path, String token, String json) {
        return send("POST", path, token, json, "application/json");
    }

    public Reply put(String path, String token, String json) {
        return send("PUT", path, token, json, "application/json");
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    /** Sends any request; {@code token} null means no Authorization header. */
    public Reply send(String method, String path, String token, String body, String contentType) {
        return sendRaw(method, path, token == null ? null : "Token " + token, body == null ? null : body.getBytes(
                java.nio.charset.StandardCharsets.UTF_8), contentType);
    }

    /** Sends with a raw Authorization header value and raw body bytes. */
    public Reply sendRaw(String method, String path, String authorization, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            String ct = r.headers().firstValue("Content-Type").orElse("");
            if (ct.startsWith("application/json") && r.body().length > 0) {
                json = mapper.readTree(r.body());
            }
            return new Reply(r.statusCode(), r, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
