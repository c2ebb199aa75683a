package dev.orchardmdm.server.api;

import dev.orchardmdm.store.ApiTokenRepository;

/** Builds the admin API's collaborators from mdm-store. */
public final class AdminApiFactory {

    private AdminApiFactory() {
    }

    /** Token lookup over mdm-store's hashed API tokens. */
    public static ApiTokenLookup tokenLookup(ApiTokenRepository tokens) {
        return presented -> tokens.authenticate(presented)
                .map(t -> new ApiPrincipal(t.id(), t.name(), t.permissions()));
    }
}
