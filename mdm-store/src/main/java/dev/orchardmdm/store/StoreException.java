package dev.orchardmdm.store;

/** Base of the checked exceptions of mdm-store: a domain rule refused the operation and nothing was changed. */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
