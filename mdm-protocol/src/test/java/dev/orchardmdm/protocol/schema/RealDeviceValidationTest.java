package dev.orchardmdm.protocol.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.Fixtures;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.protocol.ProtocolException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Check-ins and command responses of real devices through the validator, as an embedder would feed them. */
class RealDeviceValidationTest {
    private static final SchemaValidator VALIDATOR = new SchemaValidator(SchemaCatalog.bundled());

    static PlistDict capture(String name) throws ProtocolException {
        return PlistReader.withDefaults().readDictionary(Fixtures.capture(name));
    }

    static PlistDict zentral(String name) throws ProtocolException {
        return PlistReader.withDefaults().readDictionary(Fixtures.zentral(name));
    }

    @Test
    void aRealIosAuthenticateIsValidBecauseItsPlatformHasNoDeviceNameModelOrModelName() throws Exception {
        PlistDict ipad = capture("authenticate_ios_9.3.2.plist");
        assertThat(DeviceContext.fromMessage(ipad)).contains(
                new DeviceContext("iOS", false, false, false, Optional.of("9.3.2")));

        ValidationResult r = VALIDATOR.validateCheckin(ipad);
        assertThat(r.errors()).isEmpty();
        assertThat(r.isValid()).isTrue();

        // the same message from a device said to be a Mac misses what a Mac must send
        ValidationResult asMac = VALIDATOR.validateCheckin(ipad, new DeviceContext("macOS", false, false, false));
        assertThat(asMac.errors()).extracting(ValidationResult.Issue::path)
                .containsExactlyInAnyOrder("DeviceName", "ModelName", "Model");
    }

    @Test
    void withoutAPlatformTheMacOnlyKeysAreWarningsNamingWhereTheyAreRequired() throws Exception {
        PlistDict anonymous = capture("authenticate_ios_9.3.2.plist").without("ProductName");
        assertThat(DeviceContext.fromMessage(anonymous)).isEmpty();
        ValidationResult r = VALIDATOR.validateCheckin(anonymous);
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(ValidationResult.Issue::toString)
                .contains("DeviceName: missing; required on macOS only, and the platform is unknown");
    }

    @Test
    void aRealMacAuthenticateIsValidAndAMacWithoutItsDeviceNameIsNot() throws Exception {
        PlistDict mac = capture("authenticate_macos_10.12.2.plist");
        assertThat(DeviceContext.fromMessage(mac).map(DeviceContext::os)).contains("macOS");
        assertThat(VALIDATOR.validateCheckin(mac).errors()).isEmpty();

        ValidationResult broken = VALIDATOR.validateCheckin(mac.without("DeviceName"));
        assertThat(broken.errors()).extracting(ValidationResult.Issue::toString)
                .containsExactly("DeviceName: missing required key");
    }

    @Test
    void keysAMessageSendsAlthoughItsPlatformHasNoneAreWarnings() throws Exception {
        PlistDict ipadWithName = capture("authenticate_ios_9.3.2.plist").with("DeviceName", "Kitchen iPad");
        ValidationResult r = VALIDATOR.validateCheckin(ipadWithName);
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(ValidationResult.Issue::toString)
                .contains("DeviceName: sent although not available on iOS");
    }

    @Test
    void theOsVersionDecidesWhetherAKeyExistsYet() throws Exception {
        // EnrollmentID arrived with iOS 13: an iOS 9 device sending one is named, an iOS 13 one is not
        PlistDict old = capture("authenticate_ios_9.3.2.plist").with("EnrollmentID", "0A1B2C3D-user-enrollment");
        assertThat(VALIDATOR.validateCheckin(old).warnings()).extracting(ValidationResult.Issue::toString)
                .contains("EnrollmentID: sent although introduced in iOS 13.0 (device: 9.3.2)");
        PlistDict recent = old.with("OSVersion", "13.1");
        assertThat(VALIDATOR.validateCheckin(recent).warnings()).extracting(ValidationResult.Issue::path)
                .doesNotContain("EnrollmentID");
        assertThat(DeviceContext.compareVersions("9.3.2", "10.0")).isNegative();
        assertThat(DeviceContext.compareVersions("17.4.1", "17.4")).isPositive();
        assertThat(DeviceContext.compareVersions("14.0", "14")).isZero();
    }

    @Test
    void aMacDeviceInformationIsValidAndItsIntegerScanResultIsANamedDeviation() throws Exception {
        PlistDict report = zentral("device_information.plist");
        ValidationResult r = VALIDATOR.validateResponse("DeviceInformation", report);
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).extracting(ValidationResult.Issue::toString).contains(
                "QueryResponses.OSUpdateSettings.PreviousScanResult: deviation: the schema says <string>, "
                        + "the device sent <integer> 2");
        ValidationResult asMac = VALIDATOR.validateResponse("DeviceInformation", report,
                new DeviceContext("macOS", false, false, false));
        assertThat(asMac.errors()).isEmpty();
    }

    @Test
    void everyRealResponseCapturedIsValid() throws Exception {
        List<Object[]> cases = List.of(
                new Object[] {"SecurityInfo", zentral("security_info.plist")},
                new Object[] {"SecurityInfo", capture("security_info_ios.plist")},
                new Object[] {"ProfileList", zentral("profile_list.plist")},
                new Object[] {"InstalledApplicationList", zentral("installed_application_list.plist")},
                new Object[] {"ManagedApplicationList", zentral("managed_application_list.plist")});
        for (Object[] c : cases) {
            ValidationResult r = VALIDATOR.validateResponse((String) c[0], (PlistDict) c[1]);
            assertThat(r.errors()).as(c[0] + " " + r.warnings()).isEmpty();
        }
        ValidationResult ios = VALIDATOR.validateResponse("SecurityInfo", capture("security_info_ios.plist"),
                new DeviceContext("iPadOS", false, false, false));
        assertThat(ios.errors()).isEmpty();
        assertThat(ios.warnings()).extracting(ValidationResult.Issue::path)
                .doesNotContain("SecurityInfo.HardwareEncryptionCaps");
    }

    @Test
    void aResponseOfTheWrongStructureIsAnError() throws Exception {
        PlistDict report = zentral("device_information.plist").with("QueryResponses", "not a dictionary");
        ValidationResult r = VALIDATOR.validateResponse("DeviceInformation", report);
        assertThat(r.errors()).extracting(ValidationResult.Issue::toString)
                .containsExactly("QueryResponses: expected <dictionary>, found <string>");

        PlistDict missing = zentral("security_info.plist").without("SecurityInfo");
        assertThat(VALIDATOR.validateResponse("SecurityInfo", missing).warnings())
                .extracting(ValidationResult.Issue::toString)
                .contains("SecurityInfo: deviation: missing required key");
    }

    @Test
    void theEnvelopeIsCheckedAndOnlyAnAcknowledgedReportCarriesResponseKeys() throws Exception {
        PlistDict report = zentral("device_information.plist");
        assertThat(VALIDATOR.validateResponse("NoSuchCommand", report).errors()).extracting(
                ValidationResult.Issue::path).containsExactly("RequestType");
        assertThat(VALIDATOR.validateResponse("DeviceInformation", report.with("Status", "Done")).errors())
                .extracting(ValidationResult.Issue::path).containsExactly("Status");
        PlistDict error = report.without("QueryResponses").with("Status", "Error");
        assertThat(VALIDATOR.validateResponse("DeviceInformation", error).errors()).isEmpty();
        CommandReport parsed = CommandReport.parse(Fixtures.zentral("device_information.plist"));
        assertThat(VALIDATOR.validateResponse("DeviceInformation", parsed.raw()).isValid()).isTrue();
    }

    @Test
    void platformsAreDerivedFromProductsAndPlatformNames() {
        assertThat(DeviceContext.osOfProduct("iPhone10,1")).contains("iOS");
        assertThat(DeviceContext.osOfProduct("iPad8,3")).contains("iOS");
        assertThat(DeviceContext.osOfProduct("iPadOS")).contains("iOS");
        assertThat(DeviceContext.osOfProduct("VirtualMac2,1")).contains("macOS");
        assertThat(DeviceContext.osOfProduct("iMac17,1")).contains("macOS");
        assertThat(DeviceContext.osOfProduct("AppleTV11,1")).contains("tvOS");
        assertThat(DeviceContext.osOfProduct("Watch6,1")).contains("watchOS");
        assertThat(DeviceContext.osOfProduct("RealityDevice14,1")).contains("visionOS");
        assertThat(DeviceContext.osOfProduct("Pixel 7")).isEmpty();
        assertThat(DeviceContext.osOfProduct(null)).isEmpty();
    }
}
