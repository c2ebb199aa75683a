package dev.orchardmdm.store;

/** An encrypted column could not be opened (wrong key, tampered value, or value moved to another row). */
public final class SecretUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public SecretUnavailableException(String message) {
        super(message);
    }

    public SecretUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
