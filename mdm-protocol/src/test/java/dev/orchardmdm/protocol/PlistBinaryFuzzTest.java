package dev.orchardmdm.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz target: {@link PlistReader} on binary plists (contract: see {@link PlistFuzzing}). Seeds:
 * {@link PlistSeeds#binary()}; stored regression inputs: {@code PlistBinaryFuzzTestInputs/} in test resources.
 */
class PlistBinaryFuzzTest extends PlistFuzzing {
    PlistBinaryFuzzTest() {
        super("plist-binary");
    }

    @MethodSource("dev.orchardmdm.protocol.PlistSeeds#binary")
    @FuzzTest
    void readBinary(byte[] input) {
        readOrRefuse(input, true);
    }
}
