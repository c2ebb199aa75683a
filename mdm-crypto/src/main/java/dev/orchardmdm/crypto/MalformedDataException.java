package dev.orchardmdm.crypto;

/** The input cannot be parsed: garbage, truncated, wrong encoding, or not the expected structure. */
public class MalformedDataException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public MalformedDataException(String message) {
        super(message);
    }

    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
