package dev.orchardmdm.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckinMessageTest {
    private static final String UDID = "00008030-001A2B3C4D5E6F70";

    private static CheckinMessage parse(PlistDict d) throws ProtocolException {
        return CheckinMessage.parse(d.toXml());
    }

    @Test
    void authenticateDeviceChannel() throws Exception {
        CheckinMessage m = parse(PlistDict.of("MessageType", "Authenticate", "Topic", "com.apple.mgmt.External.x",
                "UDID", UDID, "SerialNumber", "C02XYZ", "OSVersion", "17.1", "BuildVersion", "21B74",
                "ProductName", "iPhone15,2", "FutureKey", "kept"));
        assertThat(m).isInstanceOf(CheckinMessage.Authenticate.class);
        CheckinMessage.Authenticate a = (CheckinMessage.Authenticate) m;
        assertThat(a.id().id()).isEqualTo(UDID);
        assertThat(a.id().channel()).isEqualTo(EnrollmentId.Channel.DEVICE);
        assertThat(a.topic()).isEqualTo("com.apple.mgmt.External.x");
        assertThat(a.serialNumber()).contains("C02XYZ");
        assertThat(a.osVersion()).contains("17.1");
        assertThat(a.deviceName()).isEmpty();
        assertThat(a.raw().requireString("FutureKey")).isEqualTo("kept");
        assertThat(a.messageType()).isEqualTo("Authenticate");
    }

    @Test
    void tokenUpdateUserChannelAndUnlockToken() throws Exception {
        CheckinMessage m = parse(PlistDict.builder().put("MessageType", "TokenUpdate").put("Topic", "t")
                .put("UDID", UDID).put("UserID", "A1B2-USER").put("UserShortName", "alice")
                .put("Token", new byte[] {(byte) 0xab, 0x01}).put("PushMagic", "magic")
                .put("UnlockToken", new byte[] {5}).put("AwaitingConfiguration", true).build());
        CheckinMessage.TokenUpdate t = (CheckinMessage.TokenUpdate) m;
        assertThat(t.id().id()).isEqualTo(UDID + ":A1B2-USER");
        assertThat(t.id().channel()).isEqualTo(EnrollmentId.Channel.USER);
        assertThat(t.id().deviceChannel().id()).isEqualTo(UDID);
        assertThat(t.tokenHex()).isEqualTo("ab01");
        assertThat(t.pushMagic()).isEqualTo("magic");
        assertThat(t.unlockToken()).contains(PlistData.of(new byte[] {5}));
        assertThat(t.awaitingConfiguration()).contains(true);
        assertThat(t.userShortName()).contains("alice");
        assertThat(t.toString()).doesNotContain("magic");
    }

    @Test
    void userEnrollmentIdentifiers() throws Exception {
        CheckinMessage m = parse(PlistDict.of("MessageType", "CheckOut", "Topic", "t", "EnrollmentID", "ENR-1",
                "EnrollmentUserID", "EU-2"));
        assertThat(m.id().userEnrollment()).isTrue();
        assertThat(m.id().id()).isEqualTo("ENR-1:EU-2");
        assertThat(((CheckinMessage.CheckOut) m).topic()).contains("t");
    }

    @Test
    void everyOtherMessageType() throws Exception {
        assertThat(parse(PlistDict.of("MessageType", "UserAuthenticate", "UDID", UDID, "UserID", "U")))
                .isInstanceOfSatisfying(CheckinMessage.UserAuthenticate.class,
                        u -> assertThat(u.isDigestRequest()).isTrue());
        assertThat(parse(PlistDict.of("MessageType", "SetBootstrapToken", "UDID", UDID, "BootstrapToken",
                new byte[] {1, 2}))).isInstanceOfSatisfying(CheckinMessage.SetBootstrapToken.class,
                        s -> assertThat(s.bootstrapToken()).contains(PlistData.of(new byte[] {1, 2})));
        assertThat(parse(PlistDict.of("MessageType", "GetBootstrapToken", "UDID", UDID,
                "AwaitingConfiguration", false))).isInstanceOfSatisfying(CheckinMessage.GetBootstrapToken.class,
                        g -> assertThat(g.awaitingConfiguration()).contains(false));
        assertThat(parse(PlistDict.of("MessageType", "DeclarativeManagement", "UDID", UDID, "Endpoint", "status",
                "Data", "{}".getBytes()))).isInstanceOfSatisfying(CheckinMessage.DeclarativeManagement.class,
                        d -> assertThat(d.endpoint()).isEqualTo("status"));
        assertThat(parse(PlistDict.of("MessageType", "GetToken", "UDID", UDID, "TokenServiceType", "com.apple.maid",
                "TokenParameters", PlistDict.of("SecurityToken", "s")))).isInstanceOfSatisfying(
                        CheckinMessage.GetToken.class, g -> {
                            assertThat(g.tokenServiceType()).isEqualTo("com.apple.maid");
                            assertThat(g.tokenParameters().asMap()).containsEntry("SecurityToken", "s");
                        });
        assertThat(parse(PlistDict.of("MessageType", "ReturnToService", "UDID", UDID)))
                .isInstanceOfSatisfying(CheckinMessage.ReturnToService.class,
                        r -> assertThat(r.id().deviceId()).isEqualTo(UDID));
    }

    @Test
    void unknownMessageTypeIsATypedError() {
        assertThatThrownBy(() -> parse(PlistDict.of("MessageType", "Frobnicate", "UDID", UDID)))
                .isInstanceOfSatisfying(UnknownMessageTypeException.class,
                        e -> assertThat(e.messageType()).isEqualTo("Frobnicate"));
    }

    @Test
    void missingOrMistypedKeysAreInvalid() {
        assertThatThrownBy(() -> parse(PlistDict.of("UDID", UDID))).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> parse(PlistDict.of("MessageType", "Authenticate", "Topic", "t")))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("neither UDID");
        assertThatThrownBy(() -> parse(PlistDict.of("MessageType", "TokenUpdate", "Topic", "t", "UDID", UDID,
                "Token", "not-data", "PushMagic", "m"))).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("Token");
        assertThatThrownBy(() -> parse(PlistDict.of("MessageType", "CheckOut", "UDID", "bad:id")))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> parse(PlistDict.of("MessageType", "CheckOut", "UDID", "a\nb")))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void checkinResponses() throws Exception {
        PlistDict rts = PlistReader.withDefaults().readDictionary(new CheckinResponses.ReturnToServiceConfig(true,
                Optional.of(PlistData.of(new byte[] {1})), Optional.empty(),
                Optional.of(PlistData.of(new byte[] {2}))).toPlist());
        PlistDict inner = rts.requireDict("ReturnToService");
        assertThat(inner.requireBool("Enabled")).isTrue();
        assertThat(inner.requireData("WiFiProfileData")).containsExactly(1);
        assertThat(inner.has("MDMProfileData")).isFalse();
        assertThat(inner.requireData("BootstrapToken")).containsExactly(2);
        assertThat(PlistReader.withDefaults().readDictionary(CheckinResponses.bootstrapToken(
                Optional.of(new byte[] {7}))).requireData("BootstrapToken")).containsExactly(7);
        assertThat(PlistReader.withDefaults().readDictionary(CheckinResponses.digestChallenge(""))
                .requireString("DigestChallenge")).isEmpty();
        assertThat(PlistReader.withDefaults().readDictionary(CheckinResponses.token(new byte[] {8}))
                .requireData("TokenData")).containsExactly(8);
    }
}
