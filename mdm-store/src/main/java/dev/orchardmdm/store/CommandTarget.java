package dev.orchardmdm.store;

import java.util.Objects;

/**
 * Who a command is for: a device channel, or a user channel of a device.
 *
 * @param enrollmentId the normalised enrollment id of that channel (the queue key)
 */
public record CommandTarget(Channel channel, String enrollmentId, long enrolledDeviceId, Long enrolledUserId) {
    public CommandTarget {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        if ((channel == Channel.USER) != (enrolledUserId != null)) {
            throw new IllegalArgumentException("a user command needs a user, a device command none");
        }
    }

    /** The device channel of {@code device}. */
    public static CommandTarget device(EnrolledDevice device) {
        return new CommandTarget(Channel.DEVICE, device.enrollmentId(), device.id(), null);
    }

    /** The user channel of {@code user}. */
    public static CommandTarget user(EnrolledUser user) {
        return new CommandTarget(Channel.USER, user.enrollmentId(), user.enrolledDeviceId(), user.id());
    }
}
