package dev.orchardmdm.server.api;

import dev.orchardmdm.store.ConflictException;
import dev.orchardmdm.store.InvalidStateException;
import dev.orchardmdm.store.NotFoundException;
import dev.orchardmdm.store.SecretUnavailableException;
import dev.orchardmdm.store.StoreException;

/** Maps mdm-store's refusals to admin API errors. */
public final class StoreErrors {

    private StoreErrors() {
    }

    /**
     * @param field the request field (or path parameter) the refusal is about
     */
    public static ApiException map(StoreException e, String field) {
        if (e instanceof NotFoundException) {
            return ApiException.notFound(field);
        }
        if (e instanceof ConflictException) {
            return ApiException.field(field, "An object with this " + field + " already exists.");
        }
        if (e instanceof InvalidStateException) {
            return ApiException.field(field, e.getMessage());
        }
        if (e instanceof SecretUnavailableException) {
            return ApiException.detail(409, "The stored secret cannot be decrypted with the configured keys.");
        }
        return ApiException.badRequest(e.getMessage());
    }
}
