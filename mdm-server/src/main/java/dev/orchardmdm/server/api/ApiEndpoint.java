package dev.orchardmdm.server.api;

/** The body of one admin API route, called after authentication and the permission check. */
@FunctionalInterface
public interface ApiEndpoint {

    /**
     * @throws ApiException for any refused request (bad input, unknown object, conflict)
     */
    ApiResponse handle(ApiCall call) throws ApiException;
}
