package dev.orchardmdm.protocol;

/** A check-in message whose {@code MessageType} is not one this library knows. */
public class UnknownMessageTypeException extends InvalidMessageException {
    private static final long serialVersionUID = 1L;
    private final String messageType;

    public UnknownMessageTypeException(String messageType) {
        super("unknown check-in MessageType: " + PlistDict.printable(messageType));
        this.messageType = messageType;
    }

    /** The MessageType the device sent (may be arbitrary text: sanitise before logging it). */
    public String messageType() {
        return messageType;
    }
}
