package dev.orchardmdm.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seed inputs of the plist fuzz targets: the real device captures of the shared fixtures (through
 * {@link Fixtures}) and check-in messages that use every plist type, as XML and as binary plists.
 */
final class PlistSeeds {
    private static final List<String> CAPTURES = List.of("device_information.plist",
            "installed_application_list.plist", "managed_application_list.plist", "profile_list.plist",
            "security_info.plist", "test.mobileconfig");

    private PlistSeeds() {
    }

    /** XML seeds (JUnit arguments for {@code @MethodSource}). */
    static Stream<Arguments> xml() throws ProtocolException {
        return documents().stream().map(d -> Arguments.of(Named.of(d.name(), d.xml())));
    }

    /** The same documents as binary plists. */
    static Stream<Arguments> binary() throws ProtocolException {
        return documents().stream().map(d -> Arguments.of(Named.of(d.name(), Plists.toBinary(d.dict()))));
    }

    private record Document(String name, byte[] xml, PlistDict dict) {
    }

    private static List<Document> documents() throws ProtocolException {
        List<Document> out = new ArrayList<>();
        for (String name : CAPTURES) {
            byte[] xml = Fixtures.zentral(name);
            out.add(new Document(name, xml, PlistReader.withDefaults().readDictionary(xml)));
        }
        PlistDict authenticate = PlistDict.of("MessageType", "Authenticate", "Topic", "com.apple.mgmt.External.x",
                "UDID", "00008030-001A2B3C4D5E6F70", "SerialNumber", "C02XYZ", "OSVersion", "17.1");
        PlistDict tokenUpdate = PlistDict.builder().put("MessageType", "TokenUpdate").put("Topic", "t")
                .put("UDID", "00008030-001A2B3C4D5E6F70").put("Token", new byte[] {(byte) 0xab, 1, 2, 3})
                .put("PushMagic", "magic").put("AwaitingConfiguration", true).put("Retries", -42L)
                .put("Ratio", 0.5).put("When", Instant.parse("2024-01-02T03:04:05Z"))
                .put("Nested", List.of(PlistDict.of("k", List.of("a", 1L, false)), List.of())).build();
        for (PlistDict d : List.of(authenticate, tokenUpdate)) {
            out.add(new Document(d.requireString("MessageType"), d.toXml(), d));
        }
        return out;
    }

    static boolean isBinary(byte[] input) {
        return input.length >= 6 && new String(input, 0, 6, StandardCharsets.US_ASCII).equals("bplist");
    }
}
