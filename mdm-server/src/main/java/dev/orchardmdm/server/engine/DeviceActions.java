package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.Command;
import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.StoreException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Actions on an enrolled device that the admin API (and anything else) asks the engine for:
 * EraseDevice and DeviceLock with Apple's per-platform argument rules, built with the typed
 * {@link Commands} builders and queued with their wake-up in one commit. A request that breaks a
 * rule is refused with {@link Refused} (naming the argument) before anything is queued.
 */
public final class DeviceActions {
    private static final Pattern SIX_DIGITS = Pattern.compile("[0-9]{6}");
    private static final Set<String> MOBILE = Set.of("iOS", "iPadOS", "tvOS", "visionOS", "watchOS");
    private final CommandService commands;

    public DeviceActions(CommandService commands) {
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    /** A refused action: the argument at fault (or {@code id} for the device itself) and why. */
    public static final class Refused extends Exception {
        private final String argument;

        public Refused(String argument, String message) {
            super(message);
            this.argument = argument;
        }

        /** The argument at fault (the admin API's field name), {@code id} for the device. */
        public String argument() {
            return argument;
        }
    }

    /**
     * EraseDevice arguments (null: not given).
     *
     * @param disallowProximitySetup iOS, iPadOS, tvOS: required
     * @param preserveDataPlan       iOS, iPadOS, tvOS: required
     * @param pin                    Intel Mac: required six digits; refused elsewhere
     */
    public record Erase(Boolean disallowProximitySetup, Boolean preserveDataPlan, String pin) {
    }

    /**
     * DeviceLock arguments (null: not given).
     *
     * @param pin macOS: required six digits; refused elsewhere
     */
    public record Lock(String pin, String message, String phoneNumber) {
    }

    /** The queued command. */
    public record Queued(dev.orchardmdm.store.Command command, boolean pinSet) {
    }

    /** Queues EraseDevice for {@code device}, after checking the platform rules. */
    public Queued erase(EnrolledDevice device, Erase args) throws Refused, StoreException {
        requireManageable(device);
        Commands.EraseDevice erase = Commands.eraseDevice();
        String platform = device.platform();
        if (platform != null && MOBILE.contains(platform)) {
            if (args.pin() != null) {
                throw new Refused("pin", "A PIN cannot be set on a " + platform + " device.");
            }
            erase.disallowProximitySetup(required(args.disallowProximitySetup(), "disallow_proximity_setup"));
            erase.preserveDataPlan(required(args.preserveDataPlan(), "preserve_data_plan"));
        } else if ("macOS".equals(platform)) {
            if (args.disallowProximitySetup() != null) {
                throw new Refused("disallow_proximity_setup", "Only for iOS, iPadOS and tvOS devices.");
            }
            if (args.preserveDataPlan() != null) {
                throw new Refused("preserve_data_plan", "Only for iOS, iPadOS and tvOS devices.");
            }
            if (device.appleSilicon()) {
                if (args.pin() != null) {
                    throw new Refused("pin", "A PIN cannot be set on an Apple silicon Mac.");
                }
            } else {
                erase.pin(pin(args.pin(), "This field is required for an Intel Mac."));
            }
        } else {
            throw new Refused("id", "The platform of this device is not known yet (" + platform
                    + "): it cannot be erased before it reports one.");
        }
        Command command = erase.build();
        boolean pinSet = command.payload().has("PIN");
        return new Queued(commands.queue(CommandTarget.device(device), command, Set.of("PIN"), null, null), pinSet);
    }

    /** Queues DeviceLock for {@code device}, after checking the platform rules. */
    public Queued lock(EnrolledDevice device, Lock args) throws Refused, StoreException {
        requireManageable(device);
        Commands.DeviceLock lock = Commands.deviceLock();
        boolean macOS = "macOS".equals(device.platform());
        if (macOS) {
            lock.pin(pin(args.pin(), "This field is required for a macOS device."));
        } else if (args.pin() != null) {
            throw new Refused("pin", "A PIN can only be set on a macOS device.");
        }
        Optional.ofNullable(args.message()).ifPresent(lock::message);
        Optional.ofNullable(args.phoneNumber()).ifPresent(lock::phoneNumber);
        return new Queued(commands.queue(CommandTarget.device(device), lock.build(), Set.of("PIN"), null, null),
                macOS);
    }

    /** Refuses a blocked or checked-out device: it gets no command. */
    public static void requireManageable(EnrolledDevice device) throws Refused {
        if (device.blockedAt() != null) {
            throw new Refused("id", "This device is blocked.");
        }
        if (device.checkoutAt() != null) {
            throw new Refused("id", "This device is not enrolled anymore (checked out).");
        }
    }

    private static boolean required(Boolean value, String argument) throws Refused {
        if (value == null) {
            throw new Refused(argument, "This field is required.");
        }
        return value;
    }

    private static String pin(String pin, String missing) throws Refused {
        if (pin == null) {
            throw new Refused("pin", missing);
        }
        if (!SIX_DIGITS.matcher(pin).matches()) {
            throw new Refused("pin", "The PIN must be made of 6 digits.");
        }
        return pin;
    }
}
