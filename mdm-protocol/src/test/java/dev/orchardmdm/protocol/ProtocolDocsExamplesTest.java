package dev.orchardmdm.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.protocol.response.SecurityInfoResponse;
import dev.orchardmdm.protocol.schema.DeviceContext;
import dev.orchardmdm.protocol.schema.SchemaCatalog;
import dev.orchardmdm.protocol.schema.SchemaValidator;
import dev.orchardmdm.protocol.schema.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/protocol.md ("Real devices", "Enrollment requests and typed fields"), run on real captures.
 * The docs' code lines must appear, in order, in this file: an example that stops compiling here is stale there.
 */
class ProtocolDocsExamplesTest {
    private final List<String> deviations = new ArrayList<>();
    private final List<String> macChallenges = new ArrayList<>();

    @Test
    void validatesARealIpadCheckinAndARealMacResponse() throws Exception {
        byte[] checkinBody = Fixtures.capture("authenticate_ios_9.3.2.plist");
        byte[] connectBody = Fixtures.zentral("device_information.plist");

        SchemaValidator validator = new SchemaValidator(SchemaCatalog.bundled());
        CheckinMessage msg = CheckinMessage.parse(checkinBody);
        ValidationResult checkin = validator.validateCheckin(msg.raw());       // an iPad needs no DeviceName
        CommandReport report = CommandReport.parse(connectBody);
        ValidationResult result = validator.validateResponse("DeviceInformation", report.raw(),
                new DeviceContext("macOS", false, false, false).withOsVersion("12.6"));
        for (ValidationResult.Issue warning : result.warnings()) {
            deviations.add(warning.toString());                                // "...PreviousScanResult: deviation: ..."
        }

        assertThat(checkin.isValid()).isTrue();
        assertThat(result.isValid()).isTrue();
        assertThat(deviations).anyMatch(d -> d.startsWith("QueryResponses.OSUpdateSettings.PreviousScanResult: "
                + "deviation: the schema says <string>"));
    }

    @Test
    void readsEnrollmentRequestsAndTypedFields() throws Exception {
        byte[] attestedPlist = Fixtures.capture("machine_info_macos_ota.plist");
        String issuedChallenge = "8gLEIttrT7qbLOZs3XzL5XPgNXCliGwRLtn2Lfe4GBsa7g6MGm2sJjicKrLFal4D";
        CheckinMessage msg = CheckinMessage.parse(Fixtures.capture("authenticate_macos_10.12.2.plist"));
        byte[] securityBody = Fixtures.capture("security_info_ios.plist");

        MachineInfo info = MachineInfo.parse(attestedPlist);
        if (!info.challengeMatches(issuedChallenge)) {
            throw new SecurityException("not the challenge we issued");
        }
        String platform = info.os().orElse("unknown");                        // "macOS" for PRODUCT VirtualMac2,1
        if (msg instanceof CheckinMessage.Authenticate a && a.challenge().isPresent()) {
            macChallenges.add(a.challenge().get().base64());
        }
        SecurityInfoResponse security = SecurityInfoResponse.from(CommandReport.parse(securityBody));
        boolean dataProtection = security.dataProtection();                   // HardwareEncryptionCaps 3 and a passcode

        assertThat(platform).isEqualTo("macOS");
        assertThat(macChallenges).containsExactly("YXBwbGU=");
        assertThat(dataProtection).isFalse();
        assertThat(security.hardwareEncryptionCaps()).contains(3L);
    }

    @Test
    void everyLineOfTheDocsExamplesIsInThisTest() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
        String self = Files.readString(Path.of("src", "test", "java", "dev", "orchardmdm", "protocol",
                "ProtocolDocsExamplesTest.java"));
        for (String heading : List.of("### Real devices", "### Enrollment requests")) {
            int at = doc.indexOf(heading);
            assertThat(at).as(heading).isNotNegative();
            int start = doc.indexOf("```java", at) + "```java".length();
            String block = doc.substring(start, doc.indexOf("```", start));
            assertLinesInOrder(block, self);
        }
    }

    static void assertLinesInOrder(String block, String source) {
        List<String> lines = source.lines().map(String::strip).toList();
        int from = 0;
        for (String line : block.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            int found = -1;
            for (int i = from; i < lines.size(); i++) {
                if (lines.get(i).equals(line)) {
                    found = i;
                    break;
                }
            }
            assertThat(found).as("docs line not in the test, in order: " + line).isNotNegative();
            from = found + 1;
        }
    }
}
