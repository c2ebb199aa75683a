package dev.orchardmdm.dep;

/** The service's answer was unusable: malformed or oversized JSON, missing fields, a paging walk that never ends. */
public final class AbmResponseException extends AbmException {
    public AbmResponseException(String message, int httpStatus) {
        super(message, httpStatus, null, null);
    }

    public AbmResponseException(String message, int httpStatus, Throwable cause) {
        super(message, httpStatus, null, cause);
    }
}
