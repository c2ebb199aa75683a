package dev.orchardmdm.protocol.schema;

/**
 * What is known about the target of a command, to check the schema's per-OS requirements.
 *
 * @param os             iOS, macOS, tvOS, visionOS or watchOS (iPadOS is {@code iOS})
 * @param supervised     the device is supervised
 * @param userEnrollment the enrollment is a user enrollment (BYOD)
 * @param userChannel    the command goes to the user channel
 */
public record DeviceContext(String os, boolean supervised, boolean userEnrollment, boolean userChannel) {
}
