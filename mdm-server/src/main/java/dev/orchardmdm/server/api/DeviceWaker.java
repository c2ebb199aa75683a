package dev.orchardmdm.server.api;

/**
 * Wakes an enrolled device (an APNs push through the server's push scheduler) after the admin API
 * queued a command for it or blocked it. Implementations never block on Apple.
 */
@FunctionalInterface
public interface DeviceWaker {

    /**
     * @param enrolledDeviceId the device to wake
     * @param reason           why (for logs and the outbox), e.g. {@code command:EraseDevice}
     */
    void wake(long enrolledDeviceId, String reason);
}
