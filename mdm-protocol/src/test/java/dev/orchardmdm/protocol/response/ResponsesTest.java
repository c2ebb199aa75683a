package dev.orchardmdm.protocol.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponsesTest {

    private static CommandReport ack(Object... keysAndValues) throws Exception {
        PlistDict d = PlistDict.of(keysAndValues).toBuilder().put("UDID", "U").put("Status", "Acknowledged")
                .put("CommandUUID", "C").build();
        return CommandReport.parse(d.toXml());
    }

    @Test
    void certificateList() throws Exception {
        CertificateListResponse c = CertificateListResponse.from(ack("CertificateList", List.of(
                PlistDict.of("CommonName", "MDM identity", "IsIdentity", true, "Data", new byte[] {0x30, 1}))));
        assertThat(c.certificates()).singleElement().satisfies(cert -> {
            assertThat(cert.commonName()).isEqualTo("MDM identity");
            assertThat(cert.isIdentity()).isTrue();
            assertThat(cert.der().bytes()).containsExactly(0x30, 1);
        });
    }

    @Test
    void singleValueResponses() throws Exception {
        assertThat(SimpleResponses.SetFirmwarePassword.from(ack("SetFirmwarePassword",
                PlistDict.of("PasswordChanged", true))).passwordChanged()).isTrue();
        assertThat(SimpleResponses.VerifyRecoveryLock.from(ack("PasswordVerified", false)).passwordVerified())
                .isFalse();
        SimpleResponses.RotateFileVaultKey rot = SimpleResponses.RotateFileVaultKey.from(ack("RotateResult",
                PlistDict.of("EncryptedNewRecoveryKey", new byte[] {1, 2, 3})));
        assertThat(rot.encryptedNewRecoveryKey()).hasValueSatisfying(k -> assertThat(k.bytes())
                .containsExactly(1, 2, 3));
        assertThat(rot.toString()).contains("redacted");
        SimpleResponses.ActivationLockBypassCode code = SimpleResponses.ActivationLockBypassCode.from(
                ack("ActivationLockBypassCode", "ABCD-EFGH"));
        assertThat(code.code()).isEqualTo("ABCD-EFGH");
        assertThat(code.toString()).doesNotContain("ABCD");
        assertThatThrownBy(() -> SimpleResponses.ActivationLockBypassCode.from(ack()))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void osUpdates() throws Exception {
        OSUpdatesResponses.AvailableOSUpdates a = OSUpdatesResponses.AvailableOSUpdates.from(ack(
                "AvailableOSUpdates", List.of(PlistDict.of("ProductKey", "MSU_UPDATE_22F82_patch_13.4.1",
                        "HumanReadableName", "macOS Ventura 13.4.1", "Version", "13.4.1", "Build", "22F82",
                        "DownloadSize", 1_000_000L, "InstallSize", 2_000_000L, "RestartRequired", true,
                        "IsSecurityResponse", false, "AppIdentifiersToClose", List.of()))));
        assertThat(a.updates()).singleElement().satisfies(u -> {
            assertThat(u.productKey()).isEqualTo("MSU_UPDATE_22F82_patch_13.4.1");
            assertThat(u.version()).contains("13.4.1");
            assertThat(u.downloadSize()).contains(1_000_000L);
            assertThat(u.restartRequired()).isTrue();
        });
        OSUpdatesResponses.OSUpdateStatus s = OSUpdatesResponses.OSUpdateStatus.from(ack("OSUpdateStatus",
                List.of(PlistDict.of("ProductKey", "K", "IsDownloaded", true, "DownloadPercentComplete", 0.5,
                        "Status", "Downloading", "NextScheduledInstall", Instant.parse("2024-01-01T00:00:00Z")))));
        assertThat(s.updates()).singleElement().satisfies(u -> {
            assertThat(u.downloadPercentComplete()).isEqualTo(0.5);
            assertThat(u.status()).isEqualTo("Downloading");
            assertThat(u.nextScheduledInstall()).contains(Instant.parse("2024-01-01T00:00:00Z"));
        });
    }

    @Test
    void userList() throws Exception {
        UserListResponse u = UserListResponse.from(ack("Users", List.of(PlistDict.of("UserName", "alice",
                "FullName", "Alice", "UID", 501, "UserGUID", "G", "IsLoggedIn", true, "HasDataToSync", false,
                "DataQuota", 0, "DataUsed", 10, "MobileAccount", false, "HasSecureToken", true))));
        assertThat(u.users()).singleElement().satisfies(user -> {
            assertThat(user.userName()).isEqualTo("alice");
            assertThat(user.uid()).contains(501L);
            assertThat(user.isLoggedIn()).isTrue();
            assertThat(user.hasSecureToken()).isTrue();
        });
    }

    @Test
    void wrongShapesAreInvalid() {
        assertThatThrownBy(() -> UserListResponse.from(ack("Users", List.of("alice"))))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> DeviceInformationResponse.from(ack("QueryResponses", "x")))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> DeviceInformationResponse.from(ack("QueryResponses",
                PlistDict.of("IsSupervised", "yes")))).isInstanceOf(InvalidMessageException.class);
    }
}
