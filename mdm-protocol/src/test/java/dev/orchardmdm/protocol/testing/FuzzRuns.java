package dev.orchardmdm.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Counts the executions of one fuzz target (other modules' fuzz tests use it through the mdm-protocol
 * test-jar). After Jazzer's fuzzing invocation ({@code JAZZER_FUZZ} set, see docs/fuzzing.md) {@link #report}
 * prints the count and rate and fails if the target hardly ran; after a regression or seed invocation it does
 * nothing. Jazzer reuses the test instance for the whole fuzzing run.
 */
public final class FuzzRuns {
    /** Fewer executions than this in a fuzzing run means the fuzzer did not really run. */
    public static final long MIN_EXECUTIONS = 100;
    /** Jazzer's display name of the invocation that runs the fuzzer (the others replay single inputs). */
    private static final String FUZZING_INVOCATION = "Fuzzing...";

    private final String target;
    private final long started = System.nanoTime();
    private long executions;

    public FuzzRuns(String target) {
        this.target = target;
    }

    /** Called once per input. */
    public void count() {
        executions++;
    }

    /** Called after each invocation (from {@code @AfterEach}). */
    public void report(TestInfo invocation) {
        if (System.getenv("JAZZER_FUZZ") == null || !invocation.getDisplayName().equals(FUZZING_INVOCATION)) {
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("FUZZ %s: %,d executions in %.1f s (%,.0f/s)%n", target, executions, seconds,
                executions / seconds);
        assertThat(executions).as("executions of fuzz target " + target).isGreaterThanOrEqualTo(MIN_EXECUTIONS);
    }

    /**
     * A named seed for a target whose first input byte selects a mode: {@code mode} followed by {@code rest}
     * (a JUnit argument for the target's {@code @MethodSource}).
     */
    public static Arguments modeSeed(String name, int mode, byte[] rest) {
        byte[] input = new byte[rest.length + 1];
        input[0] = (byte) mode;
        System.arraycopy(rest, 0, input, 1, rest.length);
        return Arguments.of(Named.of(name, input));
    }
}
