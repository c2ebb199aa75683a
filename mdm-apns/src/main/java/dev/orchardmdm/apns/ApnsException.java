package dev.orchardmdm.apns;

/** A push client cannot be built: unusable certificate, key or configuration. */
public class ApnsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong */
    public ApnsException(String message) {
        super(message);
    }

    /** @param message what is wrong @param cause the underlying failure */
    public ApnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
