package dev.orchardmdm.dep;

/** A token an admin uploaded (ADE server token JSON, {@code .vpptoken} file) is malformed or incomplete. */
public final class AbmTokenFormatException extends AbmException {
    public AbmTokenFormatException(String message) {
        super(message, 0, null, null);
    }

    public AbmTokenFormatException(String message, Throwable cause) {
        super(message, 0, null, cause);
    }
}
