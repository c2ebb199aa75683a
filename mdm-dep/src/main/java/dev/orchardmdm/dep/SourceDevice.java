package dev.orchardmdm.dep;

import java.time.Instant;
import java.util.Optional;

/**
 * A device as an Apple Business / School Manager API reports it, reduced to what every such API has in common.
 * Implemented by {@link dev.orchardmdm.dep.ade.AdeDevice} (legacy ADE API) and
 * {@link dev.orchardmdm.dep.abmapi.OrgDevice} (OAuth 2 ABM/ASM API), so that the server's sync code handles either.
 */
public interface SourceDevice {

    /** The serial number: the key shared by every Apple service. */
    String serialNumber();

    /** The marketing model, e.g. {@code "MacBook Pro"} or {@code "iPad Air"}; may be null. */
    String model();

    /** Apple's description of the hardware, e.g. {@code "IPAD AIR WI-FI 64GB SPACE GRAY"}; may be null. */
    String description();

    /** The colour as Apple reports it; may be null. */
    String color();

    /** The product family: {@code Mac}, {@code iPhone}, {@code iPad}, {@code AppleTV}, ...; may be null. */
    String productFamily();

    /** The operating system family: {@code OSX}, {@code iOS}, {@code tvOS}, {@code visionOS}, ...; may be null. */
    String osFamily();

    /** Whether the device is (still) assigned to this MDM server. */
    DeviceStatus status();

    /** When the device was last assigned or changed, when the service said so. */
    Optional<Instant> changedAt();

    /** The device's JSON exactly as the service sent it, so that new keys flow through untouched. */
    String rawJson();

    /** Assignment state of a device towards this MDM server. */
    enum DeviceStatus {
        /** Assigned to this MDM server. */
        ASSIGNED,
        /** No longer assigned to this MDM server (removed, disowned, moved to another server). */
        UNASSIGNED
    }
}
