package dev.orchardmdm.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A command, queued or answered (the shape of Zentral's command JSON, plus routing fields).
 *
 * @param sentAt      when it was (last) sent: Zentral's {@code time}; null while queued
 * @param status      the last reported status, null while unanswered
 * @param resultPlist the raw result plist of the last answer
 * @param errorChain  JSON text of the ErrorChain of an Error answer
 * @param answered    whether it has a final answer (it then lives in the history table)
 */
public record Command(long id, UUID uuid, Channel channel, String enrollmentId, long enrolledDeviceId,
                      Long enrolledUserId, String requestType, String name, String artifactVersion,
                      String artifactOperation, byte[] commandPlist, Instant notBefore, Instant sentAt, int sendCount,
                      CommandStatus status, byte[] resultPlist, Instant resultTime, String errorChain,
                      Instant createdAt, Instant updatedAt, boolean answered) {
}
