package dev.orchardmdm.dep;

/** The service answered this request with an error (an HTTP 4xx/5xx with, usually, an error code). */
public final class AbmApiException extends AbmException {
    public AbmApiException(String message, int httpStatus, String errorCode) {
        super(message, httpStatus, errorCode, null);
    }
}
