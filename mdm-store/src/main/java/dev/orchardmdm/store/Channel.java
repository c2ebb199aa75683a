package dev.orchardmdm.store;

/** The MDM channel a command is addressed to. */
public enum Channel {
    DEVICE,
    USER
}
