package dev.orchardmdm.server.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refused admin API request: an HTTP status and the JSON error body (Zentral/DRF shapes:
 * {@code {"detail": "..."}} for request-level errors, {@code {"field": ["message"]}} for field errors).
 */
public final class ApiException extends Exception {

    private final int status;
    private final Map<String, Object> body;

    private ApiException(int status, Map<String, Object> body, String message) {
        super(message, null, false, false);
        this.status = status;
        this.body = Map.copyOf(body);
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The JSON error body. */
    public Map<String, Object> body() {
        return body;
    }

    /** 400 naming the offending field. */
    public static ApiException field(String field, String message) {
        return new ApiException(400, Map.of(field, List.of(message)), field + ": " + message);
    }

    /** 400 with a request-level reason (body {@code {"detail": ...}}). */
    public static ApiException badRequest(String detail) {
        return detail(400, detail);
    }

    /** 400 with several field errors, in the given order. */
    public static ApiException fields(Map<String, String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        errors.forEach((k, v) -> body.put(k, List.of(v)));
        return new ApiException(400, body, String.join(", ", errors.keySet()));
    }

    /** 404 for an unknown object; {@code what} names the path parameter (e.g. {@code id}). */
    public static ApiException notFound(String what) {
        return new ApiException(404, Map.of("detail", "Not found.", "field", what), "not found: " + what);
    }

    /** 401: no or bad credentials. */
    public static ApiException unauthorized(String detail) {
        return detail(401, detail);
    }

    /** 403: authenticated, but a permission is missing. */
    public static ApiException forbidden(String missingPermission) {
        return new ApiException(403, Map.of("detail", "You do not have permission to perform this action.",
                "missing_permission", missingPermission), "missing " + missingPermission);
    }

    /** Any status with a {@code {"detail": ...}} body. */
    public static ApiException detail(int status, String detail) {
        return new ApiException(status, Map.of("detail", detail), detail);
    }
}
