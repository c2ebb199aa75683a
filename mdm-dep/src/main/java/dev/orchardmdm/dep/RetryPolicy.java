package dev.orchardmdm.dep;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client answers "slow down" (HTTP 429 and 503): it waits for the {@code Retry-After} the service sent (or
 * {@code initialBackoff}, doubled on each attempt, when it sent none) and tries again, at most {@code maxRetries}
 * times per request, and never waits longer than {@code maxWait} at once: a longer demand ends the call with an
 * {@link AbmRateLimitException} so that the caller can reschedule the work instead of blocking a thread.
 *
 * @param maxRetries      retries per request after the first attempt (0 disables retrying)
 * @param maxWait         the longest single wait accepted
 * @param initialBackoff  the wait when the service gave no {@code Retry-After}
 * @param sleeper         how to wait (tests pass a recording sleeper)
 */
public record RetryPolicy(int maxRetries, Duration maxWait, Duration initialBackoff, Sleeper sleeper) {

    /** Waits for a duration; {@link Thread#sleep} in production. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Three retries, waits of at most 60 s, a 1 s initial back-off, real sleeping. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(3, Duration.ofSeconds(60), Duration.ofSeconds(1), d -> Thread.sleep(d.toMillis()));

    public RetryPolicy {
        if (maxRetries < 0 || maxRetries > 100) {
            throw new IllegalArgumentException("maxRetries must be within 0..100");
        }
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(sleeper, "sleeper");
        if (maxWait.isNegative() || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** This policy with another sleeper. */
    public RetryPolicy withSleeper(Sleeper newSleeper) {
        return new RetryPolicy(maxRetries, maxWait, initialBackoff, newSleeper);
    }
}
