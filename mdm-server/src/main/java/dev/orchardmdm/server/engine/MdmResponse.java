package dev.orchardmdm.server.engine;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What the engine answers to a device request, independent of any HTTP library.
 *
 * @param status      the HTTP-level status (200, or 410 for UserAuthenticate)
 * @param body        the body (empty for an empty answer)
 * @param contentType the body's media type, or null for an empty body
 */
public record MdmResponse(int status, byte[] body, String contentType) {
    /** Media type of plist answers. */
    public static final String PLIST = "application/xml; charset=UTF-8";
    /** Media type of JSON answers (declarative management). */
    public static final String JSON = "application/json";

    public MdmResponse {
        Objects.requireNonNull(body, "body");
    }

    /** An empty 200. */
    public static MdmResponse empty() {
        return new MdmResponse(200, new byte[0], null);
    }

    /** A 200 with a plist body. */
    public static MdmResponse plist(byte[] plist) {
        return new MdmResponse(200, plist, PLIST);
    }

    /** A 200 with a JSON body. */
    public static MdmResponse json(byte[] json) {
        return new MdmResponse(200, json, JSON);
    }

    /** A 410 Gone with a text reason (UserAuthenticate: "do not manage this user"). */
    public static MdmResponse gone(String reason) {
        return new MdmResponse(410, reason.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    /** Whether the body is empty. */
    public boolean isEmpty() {
        return body.length == 0;
    }
}
