package dev.orchardmdm.protocol;

/**
 * Base of every checked error raised by mdm-protocol: the input (a plist, a JSON document, a command) is not
 * acceptable. At the HTTP level every subclass maps to a 4xx answer; nothing should have been changed.
 */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
