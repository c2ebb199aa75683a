package dev.orchardmdm.store;

/** The change would break a uniqueness rule (a duplicate name, topic, UDID, ...). */
public final class ConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
