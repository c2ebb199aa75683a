package dev.orchardmdm.server.api;

import dev.orchardmdm.store.StoreException;
import java.util.Optional;

/** Finds the principal of a presented API token (tokens are stored hashed: see mdm-store's ApiTokenRepository). */
@FunctionalInterface
public interface ApiTokenLookup {

    /**
     * @param presentedToken the token as given in {@code Authorization: Token <token>}
     * @return the live token's principal, or empty when the token is unknown, revoked or expired
     */
    Optional<ApiPrincipal> find(String presentedToken) throws StoreException;
}
