package dev.orchardmdm.store;

/** Status of a background task. */
public enum TaskStatus {
    /** Waiting for a worker (also after an abandoned claim expired). */
    PENDING,
    /** Claimed by a worker holding a lease. */
    RUNNING,
    SUCCEEDED,
    FAILED;

    /** The Celery state name Zentral's {@code /api/task_result/<id>/} reports for this status. */
    public String celeryState() {
        return switch (this) {
            case PENDING -> "PENDING";
            case RUNNING -> "STARTED";
            case SUCCEEDED -> "SUCCESS";
            case FAILED -> "FAILURE";
        };
    }

    /** Whether the task is finished. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
