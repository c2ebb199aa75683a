package dev.orchardmdm.server.api;

import java.util.Objects;

/**
 * What an endpoint answers: a status and either a JSON value ({@code json}) or raw bytes with a
 * content type and an optional download file name.
 */
public record ApiResponse(int status, Object json, byte[] bytes, String contentType, String filename) {

    public ApiResponse {
        if (bytes != null) {
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    /** 200 with a JSON body. */
    public static ApiResponse ok(Object json) {
        return new ApiResponse(200, json, null, null, null);
    }

    /** 201 with a JSON body. */
    public static ApiResponse created(Object json) {
        return new ApiResponse(201, json, null, null, null);
    }

    /** 204 without a body. */
    public static ApiResponse noContent() {
        return new ApiResponse(204, null, null, null, null);
    }

    /** 200 with a file download. */
    public static ApiResponse file(byte[] bytes, String contentType, String filename) {
        return new ApiResponse(200, null, bytes.clone(), contentType, filename);
    }
}
