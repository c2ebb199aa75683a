package dev.orchardmdm.server.engine;

/**
 * A request from a device (or about a device) is refused. Each subclass maps to one HTTP answer
 * in one place ({@code dev.orchardmdm.server.http.HttpErrors}); the message is safe to send back
 * (it never holds a secret).
 */
public abstract sealed class MdmException extends Exception
        permits MdmException.BadRequest, MdmException.Forbidden, MdmException.Blocked, MdmException.NotFound,
        MdmException.SoftwareUpdateRequired {
    private static final long serialVersionUID = 1L;

    MdmException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Malformed or unacceptable input (HTTP 400). Nothing was changed. */
    public static final class BadRequest extends MdmException {
        private static final long serialVersionUID = 1L;

        public BadRequest(String message) {
            super(message, null);
        }

        public BadRequest(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The device's identity does not hold: certificate not from the SCEP CA, unknown or expired
     * session, a session bound to another device, a fingerprint mismatch, a command of another
     * device (HTTP 403 — never 401, which would make a device unenroll).
     */
    public static final class Forbidden extends MdmException {
        private static final long serialVersionUID = 1L;

        public Forbidden(String message) {
            super(message, null);
        }

        public Forbidden(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The device is blocked by an admin (HTTP 401 "Blocked", on purpose: it makes the device drop
     * its MDM enrollment, as Zentral's block does).
     */
    public static final class Blocked extends MdmException {
        private static final long serialVersionUID = 1L;

        public Blocked(String message) {
            super(message, null);
        }
    }

    /** The addressed thing (enrollment, secret) does not exist (HTTP 404). */
    public static final class NotFound extends MdmException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(message, null);
        }
    }

    /**
     * ADE enrollment refused until the device runs a newer OS (HTTP 403 with Apple's
     * {@code com.apple.softwareupdate.required} JSON body).
     */
    public static final class SoftwareUpdateRequired extends MdmException {
        private static final long serialVersionUID = 1L;
        private final String osVersion;
        private final String buildVersion;

        public SoftwareUpdateRequired(String osVersion, String buildVersion) {
            super("software update to " + osVersion + " required", null);
            this.osVersion = osVersion;
            this.buildVersion = buildVersion;
        }

        /** The OS version the device must install. */
        public String osVersion() {
            return osVersion;
        }

        /** Its build, or null when unknown. */
        public String buildVersion() {
            return buildVersion;
        }
    }
}
