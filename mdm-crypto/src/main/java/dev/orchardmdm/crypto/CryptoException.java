package dev.orchardmdm.crypto;

/**
 * Base of the checked exceptions of mdm-crypto: every malformed, forged, expired or otherwise
 * unacceptable input is reported as a subclass of this type, never as a runtime crash.
 */
public class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
