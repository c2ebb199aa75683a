package dev.orchardmdm.crypto;

/** A signature that does not verify over the given data, or uses an algorithm that is not accepted. */
public class SignatureVerificationException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public SignatureVerificationException(String message) {
        super(message);
    }

    public SignatureVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
