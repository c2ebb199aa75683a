package dev.orchardmdm.store;

/**
 * Where the engine records that a device (or user channel) must be woken by a push: the push
 * outbox, drained by the push scheduler. Implemented by {@link PushOutbox}.
 */
public interface WakeUpStore {

    /**
     * Records a wake-up; a target already waiting unclaimed is not added twice.
     *
     * @return whether a row was added
     */
    boolean enqueue(long enrolledDeviceId, Long enrolledUserId, String reason) throws StoreException;
}
