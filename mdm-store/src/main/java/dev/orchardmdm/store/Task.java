package dev.orchardmdm.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A background task (ABM sync, software-update sync, ...), reported by {@code /api/task_result/<uuid>/}.
 *
 * @param arguments JSON text, or null
 * @param result    JSON text of the result, or null
 * @param progress  0..100
 */
public record Task(long id, UUID uuid, String name, String arguments, TaskStatus status, int progress, String result,
                   String error, int attempts, String leaseOwner, Instant leaseUntil, Instant createdAt,
                   Instant startedAt, Instant finishedAt, Instant updatedAt) {
}
