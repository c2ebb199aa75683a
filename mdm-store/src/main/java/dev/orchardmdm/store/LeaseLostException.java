package dev.orchardmdm.store;

/** A worker touched a claimed row (task, push) whose lease it no longer holds: another replica took it over. */
public final class LeaseLostException extends StoreException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(String message) {
        super(message);
    }

    public LeaseLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
