package dev.orchardmdm.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandTest {

    @Test
    void serialisesExactlyTheDocumentADeviceExpects() {
        Command c = new Command("0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", "DeviceLock",
                PlistDict.of("Message", "Lost", "PIN", "123456"));
        String xml = new String(c.toPlist(), StandardCharsets.UTF_8);
        assertThat(xml).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                \t<key>CommandUUID</key>
                \t<string>0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0</string>
                \t<key>Command</key>
                \t<dict>
                \t\t<key>RequestType</key>
                \t\t<string>DeviceLock</string>
                \t\t<key>Message</key>
                \t\t<string>Lost</string>
                \t\t<key>PIN</key>
                \t\t<string>123456</string>
                \t</dict>
                </dict>
                </plist>""");
    }

    @Test
    void genericBuilderAcceptsBothForms() throws Exception {
        Command bare = Commands.custom(PlistDict.of("RequestType", "RequestMirroring", "DestinationName", "TV"));
        assertThat(bare.requestType()).isEqualTo("RequestMirroring");
        assertThat(bare.payload().asMap()).containsOnlyKeys("DestinationName");
        assertThat(bare.commandUuid()).matches("[0-9A-F-]{36}");

        Command full = Command.parse(bare.toPlist());
        assertThat(full).isEqualTo(bare);
        assertThatThrownBy(() -> Commands.custom(PlistDict.of("Foo", "bar")))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Commands.custom(PlistDict.of("RequestType", 3)))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void commandReportDecodesRoutingFieldsAndKeepsRaw() throws Exception {
        PlistDict body = PlistDict.builder().put("UDID", "U1").put("Status", "Error")
                .put("CommandUUID", "C-1").put("ErrorChain", java.util.List.of(PlistDict.of("ErrorCode", 12021,
                        "ErrorDomain", "MCMDMErrorDomain", "LocalizedDescription", "Bad",
                        "USEnglishDescription", "Bad"))).put("Extra", 1).build();
        CommandReport r = CommandReport.parse(body.toBinary());
        assertThat(r.id().id()).isEqualTo("U1");
        assertThat(r.status()).isEqualTo(CommandStatus.Error);
        assertThat(r.status().isError()).isTrue();
        assertThat(r.commandUuid()).contains("C-1");
        assertThat(r.errorChain()).singleElement().satisfies(e -> {
            assertThat(e.errorCode()).contains(12021L);
            assertThat(e.errorDomain()).contains("MCMDMErrorDomain");
        });
        assertThat(r.raw()).isEqualTo(body);
    }

    @Test
    void commandReportRejectsBadStatusAndMissingUuid() {
        assertThatThrownBy(() -> CommandReport.parse(PlistDict.of("UDID", "U", "Status", "Done").toXml()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("Status");
        assertThatThrownBy(() -> CommandReport.parse(PlistDict.of("UDID", "U", "Status", "Acknowledged").toXml()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("CommandUUID");
        assertThatThrownBy(() -> CommandReport.parse(PlistDict.of("Status", "Idle").toXml()))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void everyStatusDecodes() throws Exception {
        for (CommandStatus s : CommandStatus.values()) {
            CommandReport r = CommandReport.parse(PlistDict.of("UDID", "U", "Status", s.name(), "CommandUUID", "C")
                    .toXml());
            assertThat(r.status()).isEqualTo(s);
        }
        assertThat(CommandStatus.CommandFormatError.isError()).isTrue();
        assertThat(CommandStatus.NotNow.isError()).isFalse();
    }

    @Test
    void idleReportForUserEnrollmentUserChannel() throws Exception {
        CommandReport r = CommandReport.parse(PlistDict.of("EnrollmentID", "E", "EnrollmentUserID", "EU",
                "Status", "Idle").toXml());
        assertThat(r.isIdle()).isTrue();
        assertThat(r.commandUuid()).isEmpty();
        assertThat(r.id().id()).isEqualTo("E:EU");
    }
}
