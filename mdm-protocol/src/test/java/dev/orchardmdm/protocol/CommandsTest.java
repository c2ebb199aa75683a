package dev.orchardmdm.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandsTest {

    @Test
    void typedBuildersFillTheKeysDevicesExpect() throws Exception {
        Command lock = Commands.deviceLock().message("Call IT").pin("123456").build();
        assertThat(lock.requestType()).isEqualTo("DeviceLock");
        assertThat(lock.payload().asMap()).containsEntry("Message", "Call IT").containsEntry("PIN", "123456");

        Command erase = Commands.eraseDevice().obliterationBehavior(Commands.ObliterationBehavior.DoNotObliterate)
                .returnToService(new CheckinResponses.ReturnToServiceConfig(true, Optional.empty(),
                        Optional.of(PlistData.of(new byte[] {1})), Optional.empty())).build();
        assertThat(erase.payload().requireString("ObliterationBehavior")).isEqualTo("DoNotObliterate");
        assertThat(erase.payload().requireDict("ReturnToService").requireBool("Enabled")).isTrue();

        Command app = Commands.installApplication(361309726L).purchaseMethod(1).managementFlags(1)
                .installAsManaged(true).build();
        assertThat(app.payload().requireInteger("iTunesStoreID")).isEqualTo(361309726L);
        assertThat(app.payload().requireDict("Options").requireInteger("PurchaseMethod")).isEqualTo(1L);

        Command upd = Commands.scheduleOSUpdate(List.of(Commands.OSUpdate.ofVersion("14.1",
                Commands.InstallAction.InstallASAP)));
        assertThat(upd.payload().dictArray("Updates").get(0).asMap())
                .containsEntry("ProductVersion", "14.1").containsEntry("InstallAction", "InstallASAP");

        Command settings = Commands.settings(List.of(Commands.Setting.deviceName("Kiosk 1"),
                Commands.Setting.enabled("Bluetooth", false)));
        assertThat(settings.payload().dictArray("Settings")).extracting(d -> d.get("Item"))
                .containsExactly("DeviceName", "Bluetooth");

        Command rotate = Commands.rotateFileVaultKey("AAAA-BBBB", new byte[] {0x30});
        assertThat(rotate.payload().requireDict("FileVaultUnlock").requireString("Password")).isEqualTo("AAAA-BBBB");
        assertThat(rotate.payload().requireString("KeyType")).isEqualTo("personal");

        Command info = Commands.deviceInformation();
        assertThat(info.payload().stringArray("Queries")).contains("UDID", "SerialNumber", "OSVersion");
    }

    @Test
    void buildersRefuseBadArguments() throws Exception {
        assertThatThrownBy(() -> Commands.deviceLock().pin("12ab")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Commands.setRecoveryLock(Optional.empty(), "short"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Commands.enableLostMode(Optional.empty(), Optional.empty(), Optional.of("f")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Commands.removeProfile(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Commands.setRecoveryLock(Optional.of("oldpassword"), "").payload().requireString("NewPassword"))
                .isEmpty();
    }
}
