package dev.orchardmdm.store;

/** The status a device reports for a command (Apple's names; {@code Idle} is not a result). */
public enum CommandStatus {
    ACKNOWLEDGED("Acknowledged"),
    ERROR("Error"),
    COMMAND_FORMAT_ERROR("CommandFormatError"),
    NOT_NOW("NotNow");

    private final String appleName;

    CommandStatus(String appleName) {
        this.appleName = appleName;
    }

    /** The value of the {@code Status} key. */
    public String appleName() {
        return appleName;
    }

    /**
     * Parses a {@code Status} value.
     *
     * @throws IllegalArgumentException for {@code Idle} or an unknown value
     */
    public static CommandStatus fromApple(String value) {
        for (CommandStatus s : values()) {
            if (s.appleName.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a command result status: " + value);
    }
}
