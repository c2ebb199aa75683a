package dev.orchardmdm.server.api;

import dev.orchardmdm.store.StoreException;
import java.util.Objects;
import java.util.Optional;

/** Checks {@code Authorization: Token <token>} headers against the stored (hashed) tokens. */
public final class ApiAuthenticator {

    /** Longest token accepted; longer values are refused before hashing. */
    public static final int MAX_TOKEN_LENGTH = 256;

    private final ApiTokenLookup tokens;

    public ApiAuthenticator(ApiTokenLookup tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * @param authorization the raw header value, possibly null
     * @return the principal
     * @throws ApiException 401 when the header is missing, malformed, or the token is unknown
     */
    public ApiPrincipal authenticate(String authorization) throws ApiException {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("Authentication credentials were not provided.");
        }
        String[] parts = authorization.trim().split("\\s+");
        if (!parts[0].equalsIgnoreCase("Token")) {
            throw ApiException.unauthorized("Authentication credentials were not provided.");
        }
        if (parts.length != 2) {
            throw ApiException.unauthorized("Invalid token header.");
        }
        String token = parts[1];
        if (token.length() > MAX_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.unauthorized("Invalid token.");
        }
        Optional<ApiPrincipal> principal;
        try {
            principal = tokens.find(token);
        } catch (StoreException e) {
            throw ApiException.detail(503, "Token store unavailable.");
        }
        return principal.orElseThrow(() -> ApiException.unauthorized("Invalid token."));
    }
}
