package dev.orchardmdm.dep;

import java.util.Optional;

/**
 * Base of every error raised by the Apple Business Manager clients of this module (ADE, Apps and Books,
 * software-update catalog).
 *
 * <p>The hierarchy is closed so that a caller can handle each kind of failure on purpose:
 * <ul>
 *   <li>{@link AbmAuthException}: the credentials were refused or have expired; retrying will not help until an admin
 *       uploads a new token;</li>
 *   <li>{@link AbmRateLimitException}: the service asked the client to slow down longer than the client's retry
 *       policy allows; reschedule after {@link AbmRateLimitException#retryAfter()};</li>
 *   <li>{@link AbmApiException}: the service answered with an error code for this request (for example
 *       {@code EXPIRED_CURSOR}, or an Apps and Books {@code errorNumber});</li>
 *   <li>{@link AbmResponseException}: the answer could not be trusted (malformed JSON, a missing field, a body
 *       too large, a paging walk that does not end);</li>
 *   <li>{@link AbmDataChangedException}: the data changed on the service's side during a paged walk;</li>
 *   <li>{@link AbmTransportException}: the service could not be reached (I/O, TLS);</li>
 *   <li>{@link AbmTokenFormatException}: a token file an admin uploaded is malformed.</li>
 * </ul>
 * Messages never contain secrets.
 */
public abstract sealed class AbmException extends Exception
        permits AbmAuthException, AbmRateLimitException, AbmApiException, AbmResponseException,
                AbmDataChangedException, AbmTransportException, AbmTokenFormatException {

    private final int httpStatus;
    private final String errorCode;

    protected AbmException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the answer that caused this error, or 0 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The service's error code, when it gave one: ADE codes such as {@code EXPIRED_CURSOR} or
     * {@code T_C_NOT_SIGNED}, or an Apps and Books {@code errorNumber} as a decimal string (see
     * {@link dev.orchardmdm.dep.vpp.AppsBooksError}).
     */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }
}
