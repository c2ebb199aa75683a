package dev.orchardmdm.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.protocol.response.DeviceInformationResponse;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** The embedding example of docs/protocol.md, kept compiling and working. */
class EmbeddingExampleTest {

    /** A minimal MDM back end: what an embedding product writes around mdm-protocol (storage kept in memory). */
    static final class TinyMdm {
        private final Map<String, String> pushTokens = new HashMap<>();
        private final Map<String, byte[]> bootstrapTokens = new HashMap<>();
        private final Map<String, Queue<Command>> queues = new HashMap<>();
        private final Map<String, String> serialNumbers = new HashMap<>();

        /** PUT /checkin: returns the response body (empty for most messages). */
        byte[] checkin(byte[] body) throws ProtocolException {
            CheckinMessage msg = CheckinMessage.parse(body);           // bounded, no DTD/entities, typed
            String id = msg.id().id();                                  // one key for device and user channels
            if (msg instanceof CheckinMessage.Authenticate) {
                queues.put(id, new ArrayDeque<>());
            } else if (msg instanceof CheckinMessage.TokenUpdate t) {
                pushTokens.put(id, t.tokenHex());
                queues.computeIfAbsent(id, k -> new ArrayDeque<>()).add(Commands.deviceInformation());
            } else if (msg instanceof CheckinMessage.SetBootstrapToken s) {
                s.bootstrapToken().ifPresent(token -> bootstrapTokens.put(id, token.bytes()));
            } else if (msg instanceof CheckinMessage.GetBootstrapToken) {
                return CheckinResponses.bootstrapToken(Optional.ofNullable(bootstrapTokens.get(id)));
            } else if (msg instanceof CheckinMessage.CheckOut) {
                queues.remove(id);
            }
            return new byte[0];
        }

        /** PUT /connect: records the result, returns the next command (or an empty body). */
        byte[] connect(byte[] body) throws ProtocolException {
            CommandReport report = CommandReport.parse(body);
            if (report.status() == CommandStatus.Acknowledged && report.raw().has("QueryResponses")) {
                DeviceInformationResponse info = DeviceInformationResponse.from(report);
                info.serialNumber().ifPresent(sn -> serialNumbers.put(report.id().id(), sn));
            }
            Command next = queues.getOrDefault(report.id().id(), new ArrayDeque<>()).poll();
            return next == null ? new byte[0] : next.toPlist();
        }
    }

    @Test
    void aDeviceEnrollsAndAnswersItsFirstCommand() throws Exception {
        TinyMdm mdm = new TinyMdm();
        String udid = "9353BC9A-5CF9-4C9E-9AD4-8D1E41D5FE3E";
        mdm.checkin(PlistDict.of("MessageType", "Authenticate", "Topic", "com.apple.mgmt.x", "UDID", udid).toXml());
        mdm.checkin(PlistDict.of("MessageType", "TokenUpdate", "Topic", "com.apple.mgmt.x", "UDID", udid,
                "Token", new byte[] {1, 2}, "PushMagic", "m").toXml());
        assertThat(mdm.pushTokens).containsEntry(udid, "0102");

        byte[] commandBody = mdm.connect(PlistDict.of("UDID", udid, "Status", "Idle").toXml());
        Command sent = Command.parse(commandBody);
        assertThat(sent.requestType()).isEqualTo("DeviceInformation");

        // the device answers with the captured response of a real Mac
        byte[] answer = CommandReport.parse(Fixtures.zentral("device_information.plist")).raw()
                .with("CommandUUID", sent.commandUuid()).toXml();
        assertThat(mdm.connect(answer)).isEmpty();
        assertThat(mdm.serialNumbers).containsEntry(udid, "Z3C2FCE2C0");

        mdm.checkin(PlistDict.of("MessageType", "SetBootstrapToken", "UDID", udid,
                "BootstrapToken", new byte[] {7}).toXml());
        byte[] bt = mdm.checkin(PlistDict.of("MessageType", "GetBootstrapToken", "UDID", udid).toXml());
        assertThat(PlistReader.withDefaults().readDictionary(bt).requireData("BootstrapToken")).containsExactly(7);

        assertThatThrownBy(() -> mdm.checkin("<!DOCTYPE plist [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><plist>&x;</plist>"
                .getBytes())).isInstanceOf(UnsafePlistException.class);
    }
}
