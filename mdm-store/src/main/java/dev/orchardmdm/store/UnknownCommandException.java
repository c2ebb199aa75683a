package dev.orchardmdm.store;

/** A device reported a result for a command UUID that Orchard never queued. */
public final class UnknownCommandException extends StoreException {
    private static final long serialVersionUID = 1L;

    public UnknownCommandException(String message) {
        super(message);
    }

    public UnknownCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
