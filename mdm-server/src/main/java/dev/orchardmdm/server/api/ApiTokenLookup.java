package dev.orchardmdm.server.api;

import java.util.Optional;

/** Finds the principal of an API token from the token's hash; tokens are never stored in clear. */
@FunctionalInterface
public interface ApiTokenLookup {

    /**
     * @param tokenHash {@link ApiTokenHash#hash} of the presented token
     * @return the active token's principal, or empty when no active token has this hash
     */
    Optional<ApiPrincipal> findByHash(String tokenHash);
}
