package dev.orchardmdm.apns;

import java.util.Objects;

/**
 * One MDM wake-up: the device (or user channel) token as hex, and the {@code PushMagic} string the device sent
 * in its {@code TokenUpdate} check-in. Neither is trusted: the client checks the token format and payload size
 * before sending and answers a typed {@link PushOutcome} instead of sending a request Apple would refuse.
 *
 * @param deviceToken the push token, hex encoded (APNs tokens are 32 bytes, 64 hex digits)
 * @param pushMagic   the device's {@code PushMagic}; sent as {@code {"mdm":"<PushMagic>"}}, never logged
 */
public record MdmPush(String deviceToken, String pushMagic) {
    /** Rejects nulls only; content is validated by the client, which answers with an outcome. */
    public MdmPush {
        Objects.requireNonNull(deviceToken, "deviceToken");
        Objects.requireNonNull(pushMagic, "pushMagic");
    }

    /** Never prints the push magic. */
    @Override
    public String toString() {
        return "MdmPush[deviceToken=" + PushOutcomes.abbreviate(deviceToken) + "]";
    }
}
