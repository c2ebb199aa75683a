package dev.orchardmdm.dep;

/** The service refused the credentials (bad signature, expired or revoked token, terms not accepted...). */
public final class AbmAuthException extends AbmException {
    public AbmAuthException(String message, int httpStatus, String errorCode) {
        super(message, httpStatus, errorCode, null);
    }
}
