package dev.orchardmdm.server.api;

import java.util.List;
import java.util.Objects;

/**
 * One admin API route: method, Javalin path (with {@code {param}} placeholders), the permissions all
 * required, a one-line summary (used by the OpenAPI document) and its endpoint.
 */
public record ApiRoute(String method, String path, List<String> permissions, String summary, ApiEndpoint endpoint) {
    public ApiRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        permissions = List.copyOf(permissions);
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
