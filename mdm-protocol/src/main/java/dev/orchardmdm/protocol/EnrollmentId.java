package dev.orchardmdm.protocol;

import java.util.Optional;

/**
 * The one normalised identity of an MDM enrollment channel, as sent in check-in messages and command reports.
 *
 * <ul>
 *   <li>device channel: {@code UDID}, or {@code EnrollmentID} for a user enrollment (BYOD);</li>
 *   <li>user channel: the device part plus {@code UserID}, or {@code EnrollmentUserID} for a user enrollment.</li>
 * </ul>
 * {@link #id()} is {@code deviceId} on the device channel and {@code deviceId:userId} on the user channel: use it for
 * database keys, logs, pushes and certificate binding alike. Identifiers are checked to be 1-128 printable ASCII
 * characters without {@code ':'}, so that they are safe in keys and logs.
 *
 * @param deviceId       UDID or EnrollmentID
 * @param userId         UserID or EnrollmentUserID, on the user channel
 * @param userEnrollment true when the ids are the per-enrollment ids of a user enrollment
 */
public record EnrollmentId(String deviceId, Optional<String> userId, boolean userEnrollment) {
    /** The UserID Shared iPad uses for its temporary session user. */
    public static final String SHARED_IPAD_TEMPORARY_USER = "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF";

    /** The channel a message arrived on. */
    public enum Channel { DEVICE, USER }

    public EnrollmentId {
        checkPart(deviceId, "device id");
        userId.ifPresent(u -> checkPart(u, "user id"));
    }

    private static void checkPart(String s, String what) {
        if (s == null || s.isEmpty() || s.length() > 128) {
            throw new IllegalArgumentException(what + " must be 1-128 characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == ':') {
                throw new IllegalArgumentException(what + " has a forbidden character");
            }
        }
    }

    /** A device-channel id. */
    public static EnrollmentId device(String udid) {
        return new EnrollmentId(udid, Optional.empty(), false);
    }

    /** A user-channel id. */
    public static EnrollmentId user(String udid, String userId) {
        return new EnrollmentId(udid, Optional.of(userId), false);
    }

    /**
     * Resolves the identity keys of a check-in message or command report ({@code UDID}, {@code EnrollmentID},
     * {@code UserID}, {@code EnrollmentUserID}).
     *
     * @throws InvalidMessageException when no device identifier is present, or one is malformed
     */
    public static EnrollmentId from(PlistDict message) throws InvalidMessageException {
        Optional<String> udid = message.string("UDID");
        Optional<String> enrollmentId = message.string("EnrollmentID");
        Optional<String> userId = message.string("UserID");
        Optional<String> enrollmentUserId = message.string("EnrollmentUserID");
        String device;
        boolean userEnrollment;
        if (udid.isPresent()) {
            device = udid.get();
            userEnrollment = false;
        } else if (enrollmentId.isPresent()) {
            device = enrollmentId.get();
            userEnrollment = true;
        } else {
            throw new InvalidMessageException("message has neither UDID nor EnrollmentID");
        }
        Optional<String> user = userId.isPresent() ? userId : enrollmentUserId;
        try {
            return new EnrollmentId(device.trim(), user.map(String::trim), userEnrollment);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("invalid enrollment identifier: " + e.getMessage());
        }
    }

    /** The normalised id: {@code deviceId} or {@code deviceId:userId}. */
    public String id() {
        return userId.map(u -> deviceId + ":" + u).orElse(deviceId);
    }

    public Channel channel() {
        return userId.isPresent() ? Channel.USER : Channel.DEVICE;
    }

    /** The device-channel id of the same device. */
    public EnrollmentId deviceChannel() {
        return userId.isEmpty() ? this : new EnrollmentId(deviceId, Optional.empty(), userEnrollment);
    }

    /** True for the Shared iPad temporary-session user. */
    public boolean isSharedIpadTemporaryUser() {
        return userId.filter(SHARED_IPAD_TEMPORARY_USER::equalsIgnoreCase).isPresent();
    }

    @Override
    public String toString() {
        return id();
    }
}
