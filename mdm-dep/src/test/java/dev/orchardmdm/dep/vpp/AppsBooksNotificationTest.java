package dev.orchardmdm.dep.vpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.support.Fixtures;
import org.junit.jupiter.api.Test;

/** Parses the notifications Zentral captured from Apple. */
class AppsBooksNotificationTest {

    @Test
    void associateSuccess() throws Exception {
        AppsBooksNotification n = AppsBooksNotification.parse(
                Fixtures.bytes("server_token_associate_success_notification.json"));
        assertThat(n.notificationId()).isEqualTo("6e6e51b1-9e2f-42b1-affa-cddac94c8ebc");
        assertThat(n.uId()).isEqualTo("981060278089131045");
        AppsBooksNotification.AssetManagement m = (AppsBooksNotification.AssetManagement) n.payload();
        assertThat(m.eventId()).isEqualTo("1451d195-7818-44cc-844e-efd2557084c4");
        assertThat(m.type()).isEqualTo("ASSOCIATE");
        assertThat(m.success()).isTrue();
        assertThat(m.errorNumber()).isEqualTo(-1);
        assertThat(m.assignments()).containsExactly(new Assignment("409203825", "STDQ", "C02000000000", null));
    }

    @Test
    void disassociateAssetCountAndTest() throws Exception {
        AppsBooksNotification d = AppsBooksNotification.parse(
                Fixtures.bytes("server_token_disassociate_success_notification.json"));
        assertThat(((AppsBooksNotification.AssetManagement) d.payload()).type()).isEqualTo("DISASSOCIATE");

        AppsBooksNotification c = AppsBooksNotification.parse(
                Fixtures.bytes("server_token_asset_count_notification.json"));
        assertThat(c.payload()).isEqualTo(new AppsBooksNotification.AssetCount(AssetRef.standard("361304891"), 1));

        AppsBooksNotification t = AppsBooksNotification.parse(Fixtures.bytes("server_token_test_notification.json"));
        assertThat(t.notificationType()).isEqualTo("TEST_NOTIFICATION");
        assertThat(t.payload()).isInstanceOf(AppsBooksNotification.Test.class);
    }

    @Test
    void failuresKeepTheErrorNumberAndUnknownTypesTheirJson() throws Exception {
        AppsBooksNotification f = AppsBooksNotification.parse(("{\"notificationId\":\"n1\",\"notificationType\":"
                + "\"ASSET_MANAGEMENT\",\"notification\":{\"eventId\":\"e\",\"type\":\"ASSOCIATE\",\"result\":"
                + "\"FAILURE\",\"error\":{\"errorNumber\":9616},\"assignments\":[]}}").getBytes());
        AppsBooksNotification.AssetManagement m = (AppsBooksNotification.AssetManagement) f.payload();
        assertThat(m.success()).isFalse();
        assertThat(AppsBooksError.of(m.errorNumber())).contains(AppsBooksError.LICENSE_ALREADY_ASSIGNED);

        AppsBooksNotification o = AppsBooksNotification.parse(("{\"notificationId\":\"n2\",\"notificationType\":"
                + "\"USER_ASSOCIATED\",\"notification\":{\"x\":1}}").getBytes());
        assertThat(o.payload()).isEqualTo(new AppsBooksNotification.Other("{\"x\":1}"));
    }

    @Test
    void hostileBodiesAreRefused() {
        assertThatThrownBy(() -> AppsBooksNotification.parse("{".getBytes())).isInstanceOf(AbmResponseException.class);
        assertThatThrownBy(() -> AppsBooksNotification.parse(new byte[0])).isInstanceOf(AbmResponseException.class);
        assertThatThrownBy(() -> AppsBooksNotification.parse("{\"notificationType\":\"TEST_NOTIFICATION\"}".getBytes()))
                .isInstanceOf(AbmResponseException.class).hasMessageContaining("notification");
        assertThatThrownBy(() -> AppsBooksNotification.parse(("{\"notificationId\":\"n\",\"notificationType\":"
                + "\"ASSET_MANAGEMENT\",\"notification\":{\"eventId\":\"e\",\"type\":\"ASSOCIATE\",\"result\":\"MAYBE\"}}")
                .getBytes())).isInstanceOf(AbmResponseException.class);
    }
}
