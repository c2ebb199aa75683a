package dev.orchardmdm.crypto;

/** A distinguished name that cannot be parsed, repeats an attribute, or contradicts the certificate. */
public class InvalidDistinguishedNameException extends MalformedDataException {
    private static final long serialVersionUID = 1L;

    public InvalidDistinguishedNameException(String message) {
        super(message);
    }

    public InvalidDistinguishedNameException(String message, Throwable cause) {
        super(message, cause);
    }
}
