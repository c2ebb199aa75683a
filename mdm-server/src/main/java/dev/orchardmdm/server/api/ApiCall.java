package dev.orchardmdm.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** One authenticated admin API request, with validating accessors for path, query and body. */
public final class ApiCall {

    /** Largest request body accepted by the admin API. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private final Context ctx;
    private final ApiPrincipal principal;
    private final ObjectMapper mapper;

    ApiCall(Context ctx, ApiPrincipal principal, ObjectMapper mapper) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.principal = Objects.requireNonNull(principal, "principal");
        this.mapper = mapper;
    }

    /** The caller. */
    public ApiPrincipal principal() {
        return principal;
    }

    /** A positive integer path parameter; anything else is a 404 naming the parameter. */
    public long pathId(String name) throws ApiException {
        String raw = ctx.pathParam(name);
        if (!DIGITS.matcher(raw).matches() || Long.parseLong(raw) < 1) {
            throw ApiException.notFound(name);
        }
        return Long.parseLong(raw);
    }

    /** A UUID path parameter; anything else is a 404 naming the parameter. */
    public UUID pathUuid(String name) throws ApiException {
        return parseUuid(ctx.pathParam(name)).orElseThrow(() -> ApiException.notFound(name));
    }

    /** A string path parameter. */
    public String pathString(String name) {
        return ctx.pathParam(name);
    }

    /** A query filter value, when given and not empty (empty means "no filter", as Zentral does). */
    public Optional<String> filter(String name) throws ApiException {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.field(name, "Give this filter only once.");
        }
        if (values.isEmpty() || values.get(0).isEmpty()) {
            return Optional.empty();
        }
        if (values.get(0).length() > 1024) {
            throw ApiException.field(name, "Filter value too long.");
        }
        return Optional.of(values.get(0));
    }

    /** A positive integer filter; a non-integer is a 400 naming the filter. */
    public Optional<Long> idFilter(String name) throws ApiException {
        Optional<String> v = filter(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!DIGITS.matcher(v.get()).matches()) {
            throw ApiException.field(name, "Select a valid choice. That choice is not one of the available choices.");
        }
        return Optional.of(Long.parseLong(v.get()));
    }

    /** A boolean filter ({@code true}/{@code false}, also {@code 1}/{@code 0}). */
    public Optional<Boolean> boolFilter(String name) throws ApiException {
        Optional<String> v = filter(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> Optional.of(true);
            case "false", "0" -> Optional.of(false);
            default -> throw ApiException.field(name, "Enter a valid boolean.");
        };
    }

    /** The raw request body, at most {@link #MAX_BODY_BYTES}. */
    public byte[] rawBody() throws ApiException {
        String length = ctx.header("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    throw ApiException.detail(413, "Request body larger than " + MAX_BODY_BYTES + " bytes.");
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Bad Content-Length.");
            }
        }
        byte[] body;
        try {
            body = ctx.bodyAsBytes();
        } catch (RuntimeException e) {
            throw ApiException.detail(413, "Request body larger than " + MAX_BODY_BYTES + " bytes.");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw ApiException.detail(413, "Request body larger than " + MAX_BODY_BYTES + " bytes.");
        }
        return body;
    }

    /** The body parsed as a JSON object; an empty body is an empty object. */
    public JsonBody body() throws ApiException {
        return JsonBody.parse(rawBody(), mapper);
    }

    /** The absolute URL of this request (for pagination links). */
    public String fullUrl() {
        return ctx.fullUrl();
    }

    /** A query parameter's raw values. */
    public List<String> queryValues(String name) {
        return ctx.queryParams(name);
    }

    /** A request header. */
    public String header(String name) {
        return ctx.header(name);
    }

    /** The client address, for the audit trail. */
    public String clientIp() {
        return ctx.ip();
    }

    static Optional<UUID> parseUuid(String raw) {
        if (raw == null || raw.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID uuid = UUID.fromString(raw);
            return uuid.toString().equalsIgnoreCase(raw) ? Optional.of(uuid) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
