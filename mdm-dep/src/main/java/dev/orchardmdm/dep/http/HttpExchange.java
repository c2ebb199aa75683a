package dev.orchardmdm.dep.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AbmRateLimitException;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.AbmTransportException;
import dev.orchardmdm.dep.RetryPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Sends one logical request: retries 429/503 as the {@link RetryPolicy} says (honouring {@code Retry-After}), reads
 * the body with a size bound, and turns I/O failures into {@link AbmTransportException}.
 */
public final class HttpExchange {

    /** Default bound of a response body: 32 MiB (an ADE page of 1,000 devices is well under 1 MiB). */
    public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient client;
    private final ObjectMapper mapper;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final long maxBodyBytes;
    private final String service;

    /** Builds a request anew for each attempt (so that a refreshed header is picked up). */
    @FunctionalInterface
    public interface RequestFactory {
        Request build() throws AbmException;
    }

    /** A complete answer: status, headers and the (bounded) body. */
    public record Reply(int status, Headers headers, byte[] body) {
        public String header(String name) {
            return headers.get(name);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean successful() {
            return status >= 200 && status < 300;
        }
    }

    public HttpExchange(OkHttpClient client, ObjectMapper mapper, RetryPolicy retryPolicy, Clock clock,
                        long maxBodyBytes, String service) {
        this.client = Objects.requireNonNull(client, "client");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1 KiB");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.service = Objects.requireNonNull(service, "service");
    }

    /** The mapper shared by the client (configured for Apple's JSON). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** A JSON request body for {@code value}. */
    public RequestBody jsonBody(Object value) {
        try {
            return RequestBody.create(mapper.writeValueAsBytes(value), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise request body", e);
        }
    }

    /**
     * Sends the request, retrying on 429 and 503 within the retry policy. Any other status is returned to the caller.
     */
    public Reply send(RequestFactory factory) throws AbmException {
        for (int attempt = 0; ; attempt++) {
            Request request = factory.build();
            Reply reply = execute(request);
            if (reply.status() != 429 && reply.status() != 503) {
                return reply;
            }
            Duration wait = retryAfter(reply, attempt);
            if (attempt >= retryPolicy.maxRetries() || wait.compareTo(retryPolicy.maxWait()) > 0) {
                throw new AbmRateLimitException(service + " answered " + reply.status() + " to "
                        + request.method() + " " + request.url().encodedPath() + " after " + (attempt + 1)
                        + " attempt(s); retry after " + wait.toSeconds() + " s", reply.status(), wait);
            }
            try {
                retryPolicy.sleeper().sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AbmTransportException("interrupted while waiting to retry " + service, e);
            }
        }
    }

    /** Parses a JSON object body, or fails with a typed error naming the request. */
    public JsonNode jsonObject(Reply reply, String what) throws AbmResponseException {
        JsonNode node;
        try {
            node = mapper.readTree(reply.body());
        } catch (IOException e) {
            throw new AbmResponseException(service + " sent malformed JSON for " + what, reply.status(), e);
        }
        if (node == null || !node.isObject()) {
            throw new AbmResponseException(service + " sent no JSON object for " + what, reply.status());
        }
        return node;
    }

    private Reply execute(Request request) throws AbmException {
        try (Response response = client.newCall(request).execute()) {
            return new Reply(response.code(), response.headers(), readBounded(response.body(), response.code()));
        } catch (InterruptedIOException e) {
            throw new AbmTransportException(service + " timed out on " + request.method() + " "
                    + request.url().encodedPath(), e);
        } catch (IOException e) {
            throw new AbmTransportException(service + " unreachable on " + request.method() + " "
                    + request.url().encodedPath() + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private byte[] readBounded(ResponseBody body, int status) throws IOException, AbmResponseException {
        if (body == null) {
            return new byte[0];
        }
        if (body.contentLength() > maxBodyBytes) {
            throw new AbmResponseException(service + " announced a body of " + body.contentLength()
                    + " bytes, above the limit of " + maxBodyBytes, status);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        while (source.read(buffer, 64 * 1024) != -1) {
            if (buffer.size() > maxBodyBytes) {
                throw new AbmResponseException(service + " sent a body above the limit of " + maxBodyBytes
                        + " bytes", status);
            }
        }
        return buffer.readByteArray();
    }

    private Duration retryAfter(Reply reply, int attempt) {
        String value = reply.header("Retry-After");
        if (value != null) {
            value = value.trim();
            try {
                long seconds = Long.parseLong(value);
                return Duration.ofSeconds(Math.max(0, seconds));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(clock.instant(), when.toInstant());
                    return d.isNegative() ? Duration.ZERO : d;
                } catch (DateTimeParseException notDate) {
                    // fall through to the client's own back-off
                }
            }
        }
        long factor = 1L << Math.min(attempt, 16);
        return retryPolicy.initialBackoff().multipliedBy(factor);
    }
}
