package dev.orchardmdm.protocol.response;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.CommandStatus;
import dev.orchardmdm.protocol.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Responses captured from real devices (Zentral's test data) parse into typed values. */
class ZentralFixturesTest {

    private static CommandReport report(String name) throws Exception {
        return CommandReport.parse(Fixtures.zentral(name));
    }

    @Test
    void deviceInformation() throws Exception {
        CommandReport r = report("device_information.plist");
        assertThat(r.status()).isEqualTo(CommandStatus.Acknowledged);
        assertThat(r.commandUuid()).contains("02CD8B7A-465F-49E6-86D6-D3ACAAE5529E");
        assertThat(r.id().id()).isEqualTo("9353BC9A-5CF9-4C9E-9AD4-8D1E41D5FE3E");
        DeviceInformationResponse d = DeviceInformationResponse.from(r);
        assertThat(d.udid()).contains("9353BC9A-5CF9-4C9E-9AD4-8D1E41D5FE3E");
        assertThat(d.serialNumber()).contains("Z3C2FCE2C0");
        assertThat(d.deviceName()).contains("Yolo");
        assertThat(d.osVersion()).contains("13.0");
        assertThat(d.buildVersion()).contains("22A5321d");
        assertThat(d.model()).contains("VirtualMac2,1");
        assertThat(d.modelName()).contains("Virtual Machine");
        assertThat(d.isAppleSilicon()).contains(true);
        assertThat(d.isSupervised()).contains(true);
        assertThat(d.awaitingConfiguration()).contains(false);
        assertThat(d.deviceCapacity()).contains(29.0);
        assertThat(d.availableDeviceCapacity()).contains(10.0);
        assertThat(d.softwareUpdateDeviceId()).contains("VMA2MACOSAP");
        // keys the view does not model stay in the raw dictionary
        assertThat(d.queryResponses().requireDict("XsanConfiguration").requireString("role"))
                .isEqualTo("unconfigured");
        assertThat(d.queryResponses().requireDict("OSUpdateSettings").requireInteger("PreviousScanResult"))
                .isEqualTo(2L);
    }

    @Test
    void securityInfo() throws Exception {
        SecurityInfoResponse s = SecurityInfoResponse.from(report("security_info.plist"));
        assertThat(s.fdeEnabled()).contains(true);
        assertThat(s.fdeHasPersonalRecoveryKey()).contains(true);
        assertThat(s.fdeHasInstitutionalRecoveryKey()).contains(false);
        assertThat(s.isRecoveryLockEnabled()).contains(false);
        assertThat(s.systemIntegrityProtectionEnabled()).contains(true);
        assertThat(s.secureBootLevel()).contains("full");
        assertThat(s.bootstrapTokenAllowedForAuthentication()).contains("disallowed");
        assertThat(s.managementStatus()).hasValueSatisfying(m -> {
            assertThat(m.enrolledViaDep()).contains(false);
            assertThat(m.userApprovedEnrollment()).contains(true);
            assertThat(m.isUserEnrollment()).contains(false);
            assertThat(m.isActivationLockManageable()).contains(true);
        });
        assertThat(s.securityInfo().requireDict("FirewallSettings").requireString("LoggingOption"))
                .isEqualTo("throttled");
    }

    @Test
    void profileList() throws Exception {
        ProfileListResponse p = ProfileListResponse.from(report("profile_list.plist"));
        assertThat(p.profiles()).extracting(ProfileListResponse.Profile::payloadIdentifier)
                .containsExactly("com.example.zentral.santa_configuration", "com.example.zentral.mdm");
        ProfileListResponse.Profile santa = p.profiles().get(0);
        assertThat(santa.displayName()).contains("Zentral - Santa configuration");
        assertThat(santa.organization()).contains("Zentral");
        assertThat(santa.removalDisallowed()).isTrue();
        assertThat(santa.isEncrypted()).isFalse();
        assertThat(santa.version()).contains(1L);
        assertThat(santa.signerCertificates()).isNotEmpty();
        // a DER certificate starts with a SEQUENCE
        assertThat(santa.signerCertificates().get(0).bytes()[0]).isEqualTo((byte) 0x30);
        assertThat(santa.payloadContent()).singleElement().satisfies(c -> {
            assertThat(c.payloadType()).isEqualTo("com.apple.ManagedClient.preferences");
            assertThat(c.payloadUuid()).contains("9e21e537-5848-4ef5-914f-a626540836b6");
        });
        assertThat(p.profiles().get(1).payloadContent()).extracting(ProfileListResponse.PayloadSummary::payloadType)
                .containsExactly("com.apple.mdm", "com.apple.security.scep", "com.apple.security.pem");
    }

    @Test
    void installedApplicationList() throws Exception {
        InstalledApplicationListResponse a = InstalledApplicationListResponse.from(
                report("installed_application_list.plist"));
        assertThat(a.applications()).hasSize(3);
        // a web-app wrapper without bundle identifier: kept, identifier empty
        assertThat(a.applications().get(2).identifier()).isEmpty();
        assertThat(a.applications().get(2).name()).contains("https+++lucid");
        assertThat(a.find("com.apple.mail")).hasValueSatisfying(mail -> {
            assertThat(mail.name()).contains("Mail");
            assertThat(mail.shortVersion()).contains("16.0");
            assertThat(mail.installing()).isFalse();
        });
        assertThat(a.find("com.apple.dt.Xcode")).hasValueSatisfying(x -> {
            assertThat(x.bundleSize()).contains(23048830844L);
            assertThat(x.externalVersionIdentifier()).contains(851890269L);
            assertThat(x.hasUpdateAvailable()).contains(false);
        });
    }

    @Test
    void managedApplicationList() throws Exception {
        ManagedApplicationListResponse m = ManagedApplicationListResponse.from(
                report("managed_application_list.plist"));
        assertThat(m.applications()).containsOnlyKeys("com.acme.myenterpriseapp");
        ManagedApplicationListResponse.ManagedApp app = m.applications().get("com.acme.myenterpriseapp");
        assertThat(app.status()).isEqualTo("Managed");
        assertThat(app.isInstalled()).isTrue();
        assertThat(app.isValidated()).contains(true);
        assertThat(app.managementFlags()).contains(0L);
        assertThat(app.hasConfiguration()).contains(false);
    }

    @Test
    void everyPlistFixtureParsesAsAReport() throws Exception {
        List<String> names;
        try (var files = java.nio.file.Files.list(Fixtures.sharedDir().resolve("fixtures/zentral"))) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".plist")).sorted().toList();
        }
        assertThat(names).containsExactly("device_information.plist", "installed_application_list.plist",
                "managed_application_list.plist", "profile_list.plist", "security_info.plist");
        for (String name : names) {
            CommandReport r = report(name);
            assertThat(r.commandUuid()).as(name).isPresent();
            assertThat(r.raw().toBinary()).as(name).isNotEmpty();
            assertThat(CommandReport.parse(r.raw().toBinary())).as(name).isEqualTo(r);
        }
    }
}
