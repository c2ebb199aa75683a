package dev.orchardmdm.dep;

import java.time.Duration;

/**
 * The service kept answering 429 / 503 beyond the client's {@link RetryPolicy}, or asked for a wait longer than the
 * policy accepts. Reschedule the work after {@link #retryAfter()}.
 */
public final class AbmRateLimitException extends AbmException {
    private final Duration retryAfter;

    public AbmRateLimitException(String message, int httpStatus, Duration retryAfter) {
        super(message, httpStatus, null, null);
        this.retryAfter = retryAfter;
    }

    /** How long the service asked to wait (or the client's own back-off when it gave no {@code Retry-After}). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
