package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.secrets.SecretBox;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.Fixtures;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SecretRewrapTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void keyRotationResealsEveryEncryptedColumn(DatabaseKind kind) throws Exception {
        SecretBox.Key oldKey = SecretBox.Key.generate();
        SecretBox.Key newKey = SecretBox.Key.generate();
        Database db = DBS.database(kind);
        Store before = new Store(db, SecretBox.of(oldKey), Clock.systemUTC());

        PushCertificate cert = before.pushCertificates().create("rot-" + UUID.randomUUID(), null,
                new PushCertificateRepository.Material("rot-" + UUID.randomUUID(), "PEM", "push-key".getBytes(StandardCharsets.UTF_8), null, null));
        EnrolledDevice d = Fixtures.device(before);
        before.devices().storeSecret(d.id(), DeviceSecret.FILEVAULT_PRK, "prk");
        UUID queued = UUID.randomUUID();
        before.commands().enqueue(new NewCommand(queued, CommandTarget.device(d), "DeviceLock", null, null, null,
                new byte[] {1}, Map.of("PIN", "123456"), null));
        UUID answered = UUID.randomUUID();
        before.commands().enqueue(new NewCommand(answered, CommandTarget.device(d), "SetRecoveryLock", null, null, null,
                new byte[] {2}, Map.of("NewPassword", "pw"), Instant.EPOCH));
        before.commands().next(d.enrollmentId(), false);
        before.commands().next(d.enrollmentId(), false);
        before.commands().recordResult(d.enrollmentId(), answered, CommandStatus.ACKNOWLEDGED, null, null);
        DepToken token = before.dep().createToken("PEM", "dep-key".getBytes(StandardCharsets.UTF_8));
        before.dep().setTokenCredentials(token.id(), new DepToken.Credentials("ck", "cs", "at", "as", null));
        Location location = before.appsBooks().createLocation(new Location.Spec("l", "o", null, null, null, null,
                UUID.randomUUID(), null), "stoken-" + UUID.randomUUID(), null);
        RecoveryPasswordConfig rp = before.blueprints().createRecoveryPasswordConfig(new RecoveryPasswordConfig.Spec(
                "rot-" + UUID.randomUUID(), false, "static-password", 0, 0, false));

        Store rotating = new Store(db, new SecretBox(List.of(oldKey, newKey), newKey.id()), Clock.systemUTC());
        long rewrapped = rotating.rewrapSecrets();
        assertThat(rewrapped).isEqualTo(9);

        Store after = new Store(db, SecretBox.of(newKey), Clock.systemUTC());
        assertThat(after.pushCertificates().privateKey(cert.id())).hasValueSatisfying(k -> assertThat(new String(k, StandardCharsets.UTF_8)).isEqualTo("push-key"));
        assertThat(after.devices().secretString(d.id(), DeviceSecret.FILEVAULT_PRK)).hasValue("prk");
        assertThat(after.commands().secretArguments(queued)).containsEntry("PIN", "123456");
        assertThat(after.commands().secretArguments(answered)).containsEntry("NewPassword", "pw");
        assertThat(after.dep().tokenCredentials(token.id()).orElseThrow().accessSecret()).isEqualTo("as");
        assertThat(after.dep().tokenPrivateKey(token.id())).isEqualTo("dep-key".getBytes(StandardCharsets.UTF_8));
        assertThat(after.appsBooks().serverToken(location.id())).startsWith("stoken-");
        assertThat(after.blueprints().staticPassword(rp.id())).hasValue("static-password");
        // the old key alone no longer opens the re-sealed values
        assertThatThrownBy(() -> before.devices().secret(d.id(), DeviceSecret.FILEVAULT_PRK))
                .isInstanceOf(SecretUnavailableException.class);
    }
}
