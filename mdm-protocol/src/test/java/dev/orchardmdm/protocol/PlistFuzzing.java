package dev.orchardmdm.protocol;

import dev.orchardmdm.protocol.testing.FuzzRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of the {@link PlistReader} fuzz targets ({@link PlistXmlFuzzTest}, {@link PlistBinaryFuzzTest}).
 * Contract: a document is read or refused with a {@link ProtocolException}; any other throwable
 * (runtime exception, stack overflow, out of memory, time-out) is a finding. See docs/fuzzing.md.
 */
abstract class PlistFuzzing {
    private final PlistReader reader = PlistReader.withDefaults();
    private final FuzzRuns runs;

    PlistFuzzing(String target) {
        this.runs = new FuzzRuns(target);
    }

    /** Reads {@code input} if it is of the target's kind (each kind has its own target and seeds). */
    void readOrRefuse(byte[] input, boolean binary) {
        runs.count();
        if (PlistSeeds.isBinary(input) != binary) {
            return;
        }
        try {
            reader.read(input);
        } catch (ProtocolException refused) {
            // the documented refusal
        }
    }

    @AfterEach
    void report(TestInfo test) {
        runs.report(test);
    }
}
