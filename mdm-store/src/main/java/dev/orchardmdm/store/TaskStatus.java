package dev.orchardmdm.store;

/** Status of a background task. */
public enum TaskStatus {
    /** Waiting for a worker (also after an abandoned claim expired). */
    PENDING,
    /** Claimed by a worker holding a lease. */
    RUNNING,
    SUCCEEDED,
    FAILED;

    /** Whether the task is finished. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
