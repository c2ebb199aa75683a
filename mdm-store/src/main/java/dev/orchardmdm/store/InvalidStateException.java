package dev.orchardmdm.store;

/** The row is not in a state that allows the operation (a sent command deleted, a session moved out of order, a device already blocked, ...). */
public final class InvalidStateException extends StoreException {
    private static final long serialVersionUID = 1L;

    public InvalidStateException(String message) {
        super(message);
    }

    public InvalidStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
