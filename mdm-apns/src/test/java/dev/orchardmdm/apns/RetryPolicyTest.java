package dev.orchardmdm.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(350));

    @Test
    void ceilingsDoubleUpToTheCap() {
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.ceiling(3)).isEqualTo(Duration.ofMillis(350));
        assertThat(policy.ceiling(60)).isEqualTo(Duration.ofMillis(350));
    }

    @Test
    void backoffIsJitteredWithinTheCeiling() {
        Random random = new Random(7);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration wait = policy.backoff(2, random);
            assertThat(wait).isBetween(Duration.ZERO, Duration.ofMillis(200));
            seen.add(wait);
        }
        assertThat(seen.size()).isGreaterThan(150);
    }

    @Test
    void boundsAreChecked() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }
}
