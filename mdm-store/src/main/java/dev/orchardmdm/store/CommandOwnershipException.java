package dev.orchardmdm.store;

/** A device reported a result for a command queued for another enrollment; the result is refused. */
public final class CommandOwnershipException extends StoreException {
    private static final long serialVersionUID = 1L;

    public CommandOwnershipException(String message) {
        super(message);
    }

    public CommandOwnershipException(String message, Throwable cause) {
        super(message, cause);
    }
}
