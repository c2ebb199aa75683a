package dev.orchardmdm.protocol;

/** The bytes are not a well-formed property list (syntax error, truncated binary plist, wrong root type, ...). */
public class MalformedPlistException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public MalformedPlistException(String message) {
        super(message);
    }

    public MalformedPlistException(String message, Throwable cause) {
        super(message, cause);
    }
}
