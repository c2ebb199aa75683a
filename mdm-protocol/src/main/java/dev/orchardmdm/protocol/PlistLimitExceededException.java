package dev.orchardmdm.protocol;

/** The property list exceeds one of the configured {@link PlistLimits} (size, nesting depth, object count). */
public class PlistLimitExceededException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public PlistLimitExceededException(String message) {
        super(message);
    }
}
