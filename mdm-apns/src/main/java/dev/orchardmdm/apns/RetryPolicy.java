package dev.orchardmdm.apns;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Bounded retries with "full jitter" exponential backoff: before attempt {@code n+1} the client waits a random
 * duration in {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]}. Applied to {@code TooManyRequests}, 5xx
 * answers and transport failures only.
 *
 * @param maxAttempts    total attempts per notification, at least 1 (1 = no retry)
 * @param initialBackoff the backoff ceiling before the second attempt
 * @param maxBackoff     the largest backoff ceiling
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** 3 attempts, 200 ms then 400 ms ceilings, capped at 5 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5));

    /** Validates the bounds. */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("maxAttempts must be within 1..20: " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
        }
    }

    /** A policy that never retries. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The jittered wait before the next attempt.
     *
     * @param failedAttempts attempts made so far (1 after the first failure)
     * @param random         source of jitter
     * @return a duration within {@code [0, ceiling]}
     */
    public Duration backoff(int failedAttempts, RandomGenerator random) {
        return Duration.ofNanos(random.nextLong(ceiling(failedAttempts).toNanos() + 1));
    }

    /** The upper bound of {@link #backoff} after {@code failedAttempts} failures. */
    public Duration ceiling(int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
        long nanos = initialBackoff.toNanos();
        for (int i = 0; i < doublings && nanos < maxBackoff.toNanos(); i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxBackoff.toNanos()));
    }
}
