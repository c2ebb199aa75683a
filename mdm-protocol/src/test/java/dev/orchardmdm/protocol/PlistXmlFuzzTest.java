package dev.orchardmdm.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz target: {@link PlistReader} on XML plists (contract: see {@link PlistFuzzing}). Seeds:
 * {@link PlistSeeds#xml()}; stored regression inputs: {@code PlistXmlFuzzTestInputs/} in test resources.
 */
class PlistXmlFuzzTest extends PlistFuzzing {
    PlistXmlFuzzTest() {
        super("plist-xml");
    }

    @MethodSource("dev.orchardmdm.protocol.PlistSeeds#xml")
    @FuzzTest
    void readXml(byte[] input) {
        readOrRefuse(input, false);
    }
}
