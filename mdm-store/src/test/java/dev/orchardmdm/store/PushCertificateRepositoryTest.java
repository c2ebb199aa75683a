package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PushCertificateRepositoryTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void createsRenewsAndKeepsTopic(DatabaseKind kind) throws Exception {
        PushCertificateRepository repo = DBS.store(kind).pushCertificates();
        String topic = "com.apple.mgmt.External." + UUID.randomUUID();
        byte[] key = "-----BEGIN PRIVATE KEY-----xyz".getBytes(StandardCharsets.UTF_8);
        Instant nb = Instant.parse("2025-01-01T00:00:00Z");
        Instant na = Instant.parse("2026-01-01T00:00:00Z");
        PushCertificate created = repo.create("apns-" + topic, null,
                new PushCertificateRepository.Material(topic, "PEM1", key, nb, na));
        assertThat(created.topic()).isEqualTo(topic);
        assertThat(created.hasPrivateKey()).isTrue();
        assertThat(created.notAfter()).isEqualTo(na);
        assertThat(repo.privateKey(created.id())).hasValue(key);
        assertThat(repo.findByTopic(topic)).hasValueSatisfying(c -> assertThat(c.id()).isEqualTo(created.id()));

        PushCertificate renewed = repo.updateCertificate(created.id(),
                new PushCertificateRepository.Material(topic, "PEM2", null, nb, na.plusSeconds(3600)));
        assertThat(renewed.certificatePem()).isEqualTo("PEM2");
        assertThat(repo.privateKey(created.id())).hasValue(key);

        assertThatThrownBy(() -> repo.updateCertificate(created.id(),
                new PushCertificateRepository.Material("other." + topic, "PEM3", null, nb, na)))
                .isInstanceOf(InvalidStateException.class);
        assertThat(repo.findById(created.id()).orElseThrow().certificatePem()).isEqualTo("PEM2");
        assertThatThrownBy(() -> repo.create("dup-" + topic, null,
                new PushCertificateRepository.Material(topic, "PEM", null, nb, na)))
                .isInstanceOf(ConflictException.class);
        assertThat(repo.list("dup-" + topic)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void pendingCertificateHasNoMaterialAndCanBeDeleted(DatabaseKind kind) throws Exception {
        PushCertificateRepository repo = DBS.store(kind).pushCertificates();
        PushCertificate pending = repo.create("pending-" + UUID.randomUUID(), "prov-" + UUID.randomUUID(), null);
        assertThat(pending.topic()).isNull();
        assertThat(repo.privateKey(pending.id())).isEmpty();
        repo.delete(pending.id());
        assertThat(repo.findById(pending.id())).isEmpty();
        assertThatThrownBy(() -> repo.delete(pending.id())).isInstanceOf(NotFoundException.class);
    }
}
