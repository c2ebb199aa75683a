package dev.orchardmdm.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.protocol.response.SecurityInfoResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Typed readers over real captures: OTA MachineInfo, Authenticate's Challenge, SecurityInfo of iOS and macOS. */
class MachineInfoAndAccessorsTest {
    private static final String CHALLENGE = "8gLEIttrT7qbLOZs3XzL5XPgNXCliGwRLtn2Lfe4GBsa7g6MGm2sJjicKrLFal4D";

    @Test
    void readsTheOtaPhaseTwoAttributesOfARealMac() throws Exception {
        MachineInfo info = MachineInfo.parse(Fixtures.capture("machine_info_macos_ota.plist"));
        assertThat(info.udid()).contains("78897E40-F532-5DE0-A7DC-56BAC5CEEB9C");
        assertThat(info.serial()).contains("ZDL2M9PTJ3");
        assertThat(info.product()).contains("VirtualMac2,1");
        assertThat(info.version()).contains("22A380");
        assertThat(info.os()).contains("macOS");
        assertThat(info.imei()).isEmpty();          // sent as empty strings by a Mac
        assertThat(info.meid()).isEmpty();
        assertThat(info.language()).isEmpty();
        assertThat(info.userShortName()).contains("admin");
        assertThat(info.challenge()).contains(CHALLENGE);
        assertThat(info.toString()).doesNotContain(CHALLENGE).contains("ZDL2M9PTJ3");
    }

    @Test
    void theChallengeMatchesOnlyTheIssuedOne() throws Exception {
        MachineInfo info = MachineInfo.parse(Fixtures.capture("machine_info_macos_ota.plist"));
        assertThat(info.challengeMatches(CHALLENGE)).isTrue();
        assertThat(info.challengeMatches(CHALLENGE.substring(0, 63) + "E")).isFalse();
        assertThat(info.challengeMatches(CHALLENGE + "x")).isFalse();
        assertThat(info.challengeMatches("")).isFalse();
        assertThat(info.challengeMatches(null)).isFalse();
        MachineInfo without = MachineInfo.from(info.raw().without("CHALLENGE"));
        assertThat(without.challengeMatches(CHALLENGE)).isFalse();
        // a profile service may have issued the challenge as data
        MachineInfo asData = MachineInfo.from(info.raw().with("CHALLENGE",
                CHALLENGE.getBytes(StandardCharsets.UTF_8)));
        assertThat(asData.challengeMatches(CHALLENGE)).isTrue();
    }

    @Test
    void readsAnIphoneWithLanguageAndRejectsWrongTypes() throws Exception {
        PlistDict iphone = PlistDict.of("LANGUAGE", "de-DE", "PRODUCT", "iPhone10,1", "SERIAL", "000000000000",
                "UDID", "0000000000000000000000000000000000000000", "VERSION", "20H343", "IMEI", "35 000000 000000 8");
        MachineInfo info = MachineInfo.from(iphone);
        assertThat(info.language()).contains("de-DE");
        assertThat(info.imei()).contains("35 000000 000000 8");
        assertThat(info.os()).contains("iOS");
        assertThatThrownBy(() -> MachineInfo.from(iphone.with("UDID", 42L)))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("UDID");
        assertThatThrownBy(() -> MachineInfo.parse("<plist><array/></plist>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void aMacAuthenticateCarriesItsChallengeAndPlatform() throws Exception {
        CheckinMessage.Authenticate mac = (CheckinMessage.Authenticate) CheckinMessage.parse(
                Fixtures.capture("authenticate_macos_10.12.2.plist"));
        assertThat(mac.challenge()).contains(PlistData.of("apple".getBytes(StandardCharsets.US_ASCII)));
        assertThat(mac.challengeMatches("apple".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(mac.challengeMatches("apples".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(mac.os()).contains("macOS");

        CheckinMessage.Authenticate ipad = (CheckinMessage.Authenticate) CheckinMessage.parse(
                Fixtures.capture("authenticate_ios_9.3.2.plist"));
        assertThat(ipad.challenge()).isEmpty();
        assertThat(ipad.challengeMatches(new byte[] {1})).isFalse();
        assertThat(ipad.os()).contains("iOS");

        PlistDict stringChallenge = mac.raw().with("Challenge", "apple");
        assertThatThrownBy(() -> CheckinMessage.from(stringChallenge))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("Challenge");
    }

    @Test
    void iosSecurityInfoHasTypedEncryptionAndPasscodeFields() throws Exception {
        SecurityInfoResponse ios = SecurityInfoResponse.from(CommandReport.parse(
                Fixtures.capture("security_info_ios.plist")));
        assertThat(ios.hardwareEncryptionCaps()).contains(3L);
        assertThat(ios.passcodeCompliantWithProfiles()).contains(true);
        assertThat(ios.passcodeLockGracePeriod()).contains(0L);
        assertThat(ios.passcodeLockGracePeriodEnforced()).contains(0L);
        assertThat(ios.passcodePresent()).contains(false);
        assertThat(ios.dataProtection()).isFalse();   // block and file encryption, but no passcode
        assertThat(ios.firewall()).isEmpty();
    }

    @Test
    void macSecurityInfoHasTypedFirewallSettings() throws Exception {
        SecurityInfoResponse mac = SecurityInfoResponse.from(CommandReport.parse(
                Fixtures.zentral("security_info.plist")));
        SecurityInfoResponse.FirewallSettings fw = mac.firewall().orElseThrow();
        assertThat(fw.enabled()).contains(false);
        assertThat(fw.blockAllIncoming()).contains(false);
        assertThat(fw.stealthMode()).contains(false);
        assertThat(fw.loggingEnabled()).contains(true);
        assertThat(fw.loggingOption()).contains("throttled");
        assertThat(fw.applications()).isEmpty();
        assertThat(mac.hardwareEncryptionCaps()).isEmpty();

        PlistDict withApp = CommandReport.parse(Fixtures.zentral("security_info.plist")).raw();
        PlistDict info = withApp.requireDict("SecurityInfo");
        PlistDict firewall = info.requireDict("FirewallSettings").with("Applications", java.util.List.of(
                PlistDict.of("BundleID", "com.apple.Safari", "Allowed", true, "Name", "Safari")));
        SecurityInfoResponse edited = SecurityInfoResponse.from(CommandReport.from(
                withApp.with("SecurityInfo", info.with("FirewallSettings", firewall))));
        assertThat(edited.firewall().orElseThrow().applications()).containsExactly(
                new SecurityInfoResponse.FirewallApplication(java.util.Optional.of("com.apple.Safari"),
                        java.util.Optional.of("Safari"), java.util.Optional.of(true)));
    }
}
