package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.Command;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.protocol.ProtocolException;
import dev.orchardmdm.store.CommandStore;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.NewCommand;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import dev.orchardmdm.store.UnitOfWork;
import dev.orchardmdm.store.WakeUpStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Queues MDM commands and wakes their devices (through the push outbox: a request never waits on
 * Apple). Secret keys of a command (PINs, passwords) are taken out of the stored plist and kept
 * encrypted beside it; they are merged back only when the command is delivered.
 *
 * <p>Used by the engine (inventory refresh) and by the admin API (lock, erase, custom commands).
 */
public final class CommandService {
    private final UnitOfWork unitOfWork;
    private final CommandStore queue;
    private final WakeUpStore wakeUps;
    private final MdmEventListener events;
    private final PlistReader reader = PlistReader.withDefaults();

    /**
     * @param unitOfWork makes a command and its wake-up one commit
     * @param queue      the command queue
     * @param wakeUps    the push outbox
     */
    public CommandService(UnitOfWork unitOfWork, CommandStore queue, WakeUpStore wakeUps) {
        this(unitOfWork, queue, wakeUps, new MdmEventListener() { });
    }

    /** @param events told of every command queued, sent and answered (metrics) */
    public CommandService(UnitOfWork unitOfWork, CommandStore queue, WakeUpStore wakeUps, MdmEventListener events) {
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.wakeUps = Objects.requireNonNull(wakeUps, "wakeUps");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** A command service over all of {@code store}. */
    public CommandService(Store store) {
        this(store, store.commands(), store.pushOutbox());
    }

    /** A command service over all of {@code store}, telling {@code events} of every command queued, sent and answered. */
    public CommandService(Store store, MdmEventListener events) {
        this(store, store.commands(), store.pushOutbox(), events);
    }

    /**
     * Queues {@code command} for {@code target} and records that the device should be woken, in one
     * commit (or as part of the caller's unit of work).
     *
     * @param secretKeys keys of the Command dictionary that hold secrets (string values): stored encrypted;
     *                   {@code Parent.Key} names a string in the nested dictionary {@code Parent}
     * @param notBefore  not delivered before this instant (null: at once)
     * @param name       Orchard's name of the command (null: its RequestType)
     * @return the queued command
     */
    public dev.orchardmdm.store.Command queue(CommandTarget target, Command command, Set<String> secretKeys,
                                              Instant notBefore, String name) throws StoreException {
        Map<String, String> secrets = new LinkedHashMap<>();
        PlistDict payload = command.payload();
        for (String key : secretKeys) {
            // "Parent.Key": a string in a nested dictionary (e.g. RotateFileVaultKey's FileVaultUnlock.Password)
            int dot = key.indexOf('.');
            PlistDict holder = dot < 0 ? payload : payload.get(key.substring(0, dot)) instanceof PlistDict p ? p : null;
            Object value = holder == null ? null : holder.get(key.substring(dot + 1));
            if (value instanceof String s) {
                secrets.put(key, s);
                payload = dot < 0 ? payload.without(key)
                        : payload.with(key.substring(0, dot), holder.without(key.substring(dot + 1)));
            } else if (value != null) {
                throw new IllegalArgumentException("secret key " + key + " must hold a string");
            }
        }
        Command stored = new Command(command.commandUuid(), command.requestType(), payload);
        NewCommand row = new NewCommand(uuidOf(command), target, command.requestType(), name, null, null,
                stored.toPlist(), secrets, notBefore);
        // the command and its wake-up commit together (joining the caller's unit of work, if any)
        dev.orchardmdm.store.Command done = unitOfWork.inUnitOfWork(() -> {
            dev.orchardmdm.store.Command queued = queue.enqueue(row);
            wakeUps.enqueue(target.enrolledDeviceId(), target.enrolledUserId(),
                    "command " + command.requestType());
            return queued;
        });
        events.commandQueued(done);
        return done;
    }

    /** Queues a command without secrets, due at once. */
    public dev.orchardmdm.store.Command queue(CommandTarget target, Command command) throws StoreException {
        return queue(target, command, Set.of(), null, null);
    }

    /**
     * The next command for {@code enrollmentId}, marked sent, as the plist to answer with (secrets
     * merged back).
     */
    public Optional<Delivered> next(String enrollmentId, boolean reportedNotNow) throws StoreException {
        Optional<dev.orchardmdm.store.CommandQueue.Delivery> d = queue.next(enrollmentId, reportedNotNow);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        Command command;
        try {
            command = Command.fromDict(reader.readDictionary(d.get().command().commandPlist()));
        } catch (ProtocolException e) {
            throw new IllegalStateException("stored command " + d.get().command().uuid() + " is not a valid plist", e);
        }
        PlistDict.Builder payload = command.payload().toBuilder();
        PlistDict stored = command.payload();
        d.get().secretArguments().forEach((key, value) -> {
            int dot = key.indexOf('.');
            if (dot > 0 && stored.get(key.substring(0, dot)) instanceof PlistDict parent) {
                payload.put(key.substring(0, dot), parent.with(key.substring(dot + 1), value));
            } else {
                payload.put(key, value);
            }
        });
        Command full = new Command(command.commandUuid(), command.requestType(), payload.build());
        events.commandSent(d.get().command());
        return Optional.of(new Delivered(d.get().command(), full.toPlist()));
    }

    /** Tells the listeners that a device reported a result of {@code command}. */
    void answered(dev.orchardmdm.store.Command command) {
        events.commandAnswered(command);
    }

    /** A command handed to a device: the stored row and the plist sent. */
    public record Delivered(dev.orchardmdm.store.Command command, byte[] plist) {
    }

    /** The store's UUID of a command (its CommandUUID must be a UUID). */
    static UUID uuidOf(Command command) {
        try {
            return UUID.fromString(command.commandUuid());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CommandUUID must be a UUID: " + command.commandUuid(), e);
        }
    }

    /** Parses a reported CommandUUID. */
    static UUID parseReportedUuid(String uuid) throws MdmException.BadRequest {
        try {
            return UUID.fromString(uuid);
        } catch (IllegalArgumentException e) {
            throw new MdmException.BadRequest("CommandUUID is not a command of this server");
        }
    }

}
