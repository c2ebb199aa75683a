package dev.orchardmdm.store;

import java.time.Instant;

/**
 * One device's pass through an enrollment. Its secret (the SCEP challenge) is stored only as a
 * hash; the device and certificate fingerprint are bound once, at Authenticate.
 *
 * @param enrollmentId the enrollment (null for a re-enrollment of a device whose enrollment was deleted)
 * @param product      the product the device attested when it asked for its profile ({@code PRODUCT} of OTA phase 2
 *                     or of the ADE MachineInfo, e.g. {@code VirtualMac2,1}), or null
 */
public record EnrollmentSession(long id, SessionKind kind, Long enrollmentId, SessionStatus status, String serialNumber,
                                String udid, Long enrolledDeviceId, String certFingerprint, String managedAppleId,
                                String product, Instant createdAt, Instant updatedAt) {
}
