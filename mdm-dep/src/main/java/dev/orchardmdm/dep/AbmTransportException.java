package dev.orchardmdm.dep;

/** The service could not be reached or the exchange broke off (connection, time-out, TLS trust). */
public final class AbmTransportException extends AbmException {
    public AbmTransportException(String message, Throwable cause) {
        super(message, 0, null, cause);
    }
}
