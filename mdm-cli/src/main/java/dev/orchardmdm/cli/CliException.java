package dev.orchardmdm.cli;

/**
 * An error the user can act on (a missing file, a wrong password, a refused change): the tool prints
 * its message, without a stack trace, and exits with status 1.
 */
public class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
