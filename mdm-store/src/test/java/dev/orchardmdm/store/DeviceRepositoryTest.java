package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.Fixtures;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeviceRepositoryTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void authenticateTokenUpdateFactsAndReenroll(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        DeviceRepository devices = store.devices();
        PushCertificate cert = Fixtures.pushCertificate(store);
        String udid = UUID.randomUUID().toString();
        Instant notAfter = Instant.parse("2027-08-05T14:44:01Z");
        EnrolledDevice d = devices.authenticate(new DeviceRepository.Authentication(udid, udid, "C02ABC", "John's Mac",
                "Macmini8,1", "macOS", "14.2.1", "23C71", cert.id(), "fp1", notAfter, null, true, false));
        assertThat(d.udid()).isEqualTo(udid);
        assertThat(d.certNotValidAfter()).isEqualTo(notAfter);
        assertThat(d.depEnrollment()).isTrue();
        assertThat(d.canBePushed()).isFalse();

        byte[] token = {1, 2, 3, 4};
        d = devices.tokenUpdate(d.id(), new DeviceRepository.TokenUpdate(token, "magic", "topic", "unlock".getBytes(StandardCharsets.UTF_8), true));
        assertThat(d.pushToken()).isEqualTo(token);
        assertThat(d.awaitingConfiguration()).isTrue();
        assertThat(d.canBePushed()).isTrue();
        assertThat(devices.secretString(d.id(), DeviceSecret.UNLOCK_TOKEN)).hasValue("unlock");

        d = devices.updateFacts(d.id(), new DeviceRepository.DeviceFacts(null, "Renamed", null, null, "14.3", null, "23D56",
                null, true, true, null, null, true, true, true, "{\"OSVersion\":\"14.3\"}", null));
        assertThat(d.name()).isEqualTo("Renamed");
        assertThat(d.model()).isEqualTo("Macmini8,1");
        assertThat(d.osVersion()).isEqualTo("14.3");
        assertThat(d.appleSilicon()).isTrue();
        assertThat(d.supervised()).isTrue();
        assertThat(d.filevaultEnabled()).isTrue();
        assertThat(devices.deviceInformation(d.id())).hasValue("{\"OSVersion\":\"14.3\"}");
        assertThatThrownBy(() -> new DeviceRepository.DeviceFacts(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, "{not json", null)).isInstanceOf(IllegalArgumentException.class);

        devices.markSeen(d.id(), "127.0.0.1");
        devices.markPushTokenDead(d.id());
        d = devices.findByUdid(udid).orElseThrow();
        assertThat(d.lastSeenAt()).isNotNull();
        assertThat(d.lastIp()).isEqualTo("127.0.0.1");
        assertThat(d.canBePushed()).isFalse();

        devices.storeSecret(d.id(), DeviceSecret.FILEVAULT_PRK, "0000-1111");
        devices.checkout(d.id());
        d = devices.findById(d.id()).orElseThrow();
        assertThat(d.checkoutAt()).isNotNull();
        assertThat(d.pushToken()).isNull();

        EnrolledDevice again = devices.authenticate(new DeviceRepository.Authentication(udid, udid, "C02ABC", null, null,
                null, "14.4", null, cert.id(), "fp2", notAfter, null, true, false));
        assertThat(again.id()).isEqualTo(d.id());
        assertThat(again.checkoutAt()).isNull();
        assertThat(again.certFingerprint()).isEqualTo("fp2");
        assertThat(again.name()).isEqualTo("Renamed");
        assertThat(again.filevaultPrkEscrowed()).isTrue();
        assertThat(devices.secretString(d.id(), DeviceSecret.UNLOCK_TOKEN)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void escrowedSecretsAreEncryptedAndBoundToTheirRow(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        EnrolledDevice a = Fixtures.device(store);
        EnrolledDevice b = Fixtures.device(store);
        DeviceRepository devices = store.devices();
        for (DeviceSecret s : DeviceSecret.values()) {
            devices.storeSecret(a.id(), s, "secret-" + s);
        }
        for (DeviceSecret s : DeviceSecret.values()) {
            assertThat(devices.secretString(a.id(), s)).hasValue("secret-" + s);
            assertThat(devices.secretString(b.id(), s)).isEmpty();
        }
        assertThat(devices.secretUpdatedAt(a.id(), DeviceSecret.ADMIN_PASSWORD)).isPresent();
        EnrolledDevice reread = devices.findById(a.id()).orElseThrow();
        assertThat(reread.bootstrapTokenEscrowed()).isTrue();
        assertThat(reread.filevaultPrkEscrowed()).isTrue();

        // a ciphertext copied into another row does not open
        store.database().jdbi().useHandle(h -> h.execute("UPDATE enrolled_devices SET admin_password ="
                + " (SELECT admin_password FROM enrolled_devices WHERE id = ?) WHERE id = ?", a.id(), b.id()));
        assertThatThrownBy(() -> devices.secret(b.id(), DeviceSecret.ADMIN_PASSWORD)).isInstanceOf(SecretUnavailableException.class);

        devices.storeSecret(a.id(), DeviceSecret.DEVICE_LOCK_PIN, (String) null);
        assertThat(devices.secretString(a.id(), DeviceSecret.DEVICE_LOCK_PIN)).isEmpty();
        assertThatThrownBy(() -> devices.secret(-1, DeviceSecret.ADMIN_PASSWORD)).isInstanceOf(NotFoundException.class);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void blockListAndUsers(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        EnrolledDevice d = Fixtures.device(store);
        DeviceRepository devices = store.devices();
        assertThat(devices.block(d.id()).blockedAt()).isNotNull();
        assertThatThrownBy(() -> devices.block(d.id())).isInstanceOf(InvalidStateException.class);
        assertThatThrownBy(() -> devices.authenticate(new DeviceRepository.Authentication(d.udid(), d.enrollmentId(),
                null, null, null, null, null, null, null, "fp", null, null, false, false)))
                .isInstanceOf(InvalidStateException.class);
        assertThat(devices.list(new DeviceRepository.DeviceQuery(d.serialNumber(), null, null, true, "-created_at", 10, 0)))
                .extracting(EnrolledDevice::id).containsExactly(d.id());
        assertThat(devices.count(new DeviceRepository.DeviceQuery(null, d.udid(), null, false, null, 10, 0))).isZero();
        assertThat(devices.unblock(d.id()).blockedAt()).isNull();
        assertThatThrownBy(() -> devices.unblock(d.id())).isInstanceOf(InvalidStateException.class);
        assertThatThrownBy(() -> devices.list(new DeviceRepository.DeviceQuery(null, null, null, null, "push_token; --", 1, 0)))
                .isInstanceOf(IllegalArgumentException.class);

        EnrolledUser u = store.users().upsert(d.id(), "user-" + d.udid(), d.udid() + ":user", "John", "john");
        EnrolledUser same = store.users().upsert(d.id(), "user-" + d.udid(), d.udid() + ":user", null, null);
        assertThat(same.id()).isEqualTo(u.id());
        assertThat(same.shortName()).isEqualTo("john");
        assertThat(store.users().tokenUpdate(u.id(), new byte[] {9}, "m").pushMagic()).isEqualTo("m");
        assertThat(store.users().findByEnrollmentId(d.udid() + ":user")).isPresent();
        assertThat(store.users().listForDevice(d.id())).hasSize(1);
        EnrolledDevice other = Fixtures.device(store);
        assertThatThrownBy(() -> store.users().upsert(other.id(), "user-" + d.udid(), "x", null, null))
                .isInstanceOf(InvalidStateException.class);
    }
}
