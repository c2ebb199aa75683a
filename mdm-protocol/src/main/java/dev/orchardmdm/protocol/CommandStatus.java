package dev.orchardmdm.protocol;

/** The {@code Status} of a command report. */
public enum CommandStatus {
    Acknowledged, Error, CommandFormatError, Idle, NotNow;

    /** Decodes the wire value. */
    public static CommandStatus fromWire(String s) throws InvalidMessageException {
        for (CommandStatus c : values()) {
            if (c.name().equals(s)) {
                return c;
            }
        }
        throw new InvalidMessageException("unknown command Status " + PlistDict.printable(s));
    }

    /** True for Error and CommandFormatError. */
    public boolean isError() {
        return this == Error || this == CommandFormatError;
    }
}
