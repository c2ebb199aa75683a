package dev.orchardmdm.store;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The command queue as the MDM engine sees it: queue, deliver (pick and mark sent), record a
 * device's answer. Implemented by {@link CommandQueue}, which adds the admin queries.
 */
public interface CommandStore {

    /** Queues a command (see {@link CommandQueue#enqueue}). */
    Command enqueue(NewCommand command) throws StoreException;

    /** Picks the next due command of an enrollment and marks it sent (see {@link CommandQueue#next}). */
    Optional<CommandQueue.Delivery> next(String enrollmentId, boolean reportedNotNow) throws StoreException;

    /** Records a device's answer to a command queued for this enrollment (see {@link CommandQueue#recordResult}). */
    CommandQueue.Recorded recordResult(String enrollmentId, UUID uuid, CommandStatus status, byte[] resultPlist,
                                       String errorChain) throws StoreException;

    /** How many commands of the enrollment are queued, in flight or NotNow (a read). */
    int pendingCount(String enrollmentId);

    /** Which of {@code requestTypes} were queued for the device since {@code since} (a read). */
    Set<String> requestTypesQueuedSince(long enrolledDeviceId, String enrollmentId, Collection<String> requestTypes,
                                        Instant since);

    /** The decrypted secret arguments of a command. */
    Map<String, String> secretArguments(UUID uuid) throws StoreException;
}
