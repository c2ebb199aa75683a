package dev.orchardmdm.protocol;

/** A well-formed plist or JSON document that is not a valid message: missing key, wrong type, bad value. */
public class InvalidMessageException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public InvalidMessageException(String message) {
        super(message);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
