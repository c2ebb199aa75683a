package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.Fixtures;
import dev.orchardmdm.store.testing.TestDatabases;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnrollmentRepositoryTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void enrollmentSecretRulesAreEnforced(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        PushCertificate cert = Fixtures.pushCertificate(store);
        String name = "ota-" + UUID.randomUUID();
        Enrollment e = store.enrollments().create(new EnrollmentSpec(EnrollmentType.OTA, name, "Corp", cert.id(), null, 2,
                null, List.of("SN1", "SN2"), List.of(), true, "13.0", null, "{\"realm\":null}"));
        assertThat(e.secret()).hasSizeGreaterThan(20);
        assertThat(e.serialNumbers()).containsExactly("SN1", "SN2");
        assertThat(e.returnToService()).isTrue();
        assertThat(store.enrollments().findBySecret(e.secret())).hasValueSatisfying(x -> assertThat(x.id()).isEqualTo(e.id()));

        assertThatThrownBy(() -> store.enrollments().useSecret(e.secret(), "OTHER", null)).isInstanceOf(InvalidStateException.class);
        assertThat(store.enrollments().useSecret(e.secret(), "SN1", null).secretRequestCount()).isEqualTo(1);
        assertThat(store.enrollments().useSecret(e.secret(), "SN2", null).secretRequestCount()).isEqualTo(2);
        assertThatThrownBy(() -> store.enrollments().useSecret(e.secret(), "SN1", null)).isInstanceOf(InvalidStateException.class);
        assertThatThrownBy(() -> store.enrollments().useSecret("nope", "SN1", null)).isInstanceOf(NotFoundException.class);

        assertThatThrownBy(() -> store.enrollments().create(EnrollmentSpec.of(EnrollmentType.OTA, name, cert.id())))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store.enrollments().create(EnrollmentSpec.of(EnrollmentType.DEP, "x" + name, -5)))
                .isInstanceOf(InvalidStateException.class);
        Enrollment updated = store.enrollments().update(e.id(), EnrollmentSpec.of(EnrollmentType.OTA, name + "-2", cert.id()));
        assertThat(updated.secret()).isEqualTo(e.secret());
        assertThat(updated.serialNumbers()).isEmpty();
        assertThatThrownBy(() -> store.enrollments().update(e.id(), EnrollmentSpec.of(EnrollmentType.USER, name, cert.id())))
                .isInstanceOf(InvalidStateException.class);
        assertThat(store.enrollments().list(EnrollmentType.OTA, name + "-2")).hasSize(1);
        store.enrollments().delete(e.id());
        assertThat(store.enrollments().findById(e.id())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void sessionsFollowTheirStatusMachineAndBindOnce(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        PushCertificate cert = Fixtures.pushCertificate(store);
        Enrollment e = store.enrollments().create(EnrollmentSpec.of(EnrollmentType.OTA, "s-" + UUID.randomUUID(), cert.id()));
        EnrollmentSessionRepository sessions = store.enrollmentSessions();
        assertThatThrownBy(() -> sessions.start(SessionKind.OTA, e.id(), SessionStatus.AUTHENTICATED, null, null))
                .isInstanceOf(InvalidStateException.class);
        EnrollmentSessionRepository.Started started = sessions.start(SessionKind.OTA, e.id(), SessionStatus.PHASE_1, "SN", null);
        long id = started.session().id();
        assertThat(sessions.findBySecret(started.secret())).hasValueSatisfying(s -> assertThat(s.id()).isEqualTo(id));
        assertThat(sessions.findBySecret(started.secret() + "x")).isEmpty();
        // the secret is not stored in plaintext
        String stored = store.database().jdbi().withHandle(h -> h.createQuery("SELECT secret_hash FROM enrollment_sessions WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertThat(stored).isNotEqualTo(started.secret());

        assertThatThrownBy(() -> sessions.advance(id, SessionStatus.PHASE_1, SessionStatus.PHASE_3)).isInstanceOf(InvalidStateException.class);
        sessions.advance(id, SessionStatus.PHASE_1, SessionStatus.PHASE_2);
        assertThat(sessions.findById(id).orElseThrow().product()).isNull();
        sessions.setProduct(id, "VirtualMac2,1");
        assertThat(sessions.findById(id).orElseThrow().product()).isEqualTo("VirtualMac2,1");
        sessions.setProduct(id, "x".repeat(500));
        assertThat(sessions.findById(id).orElseThrow().product()).hasSize(64);
        sessions.setProduct(id, "VirtualMac2,1");
        assertThatThrownBy(() -> sessions.setProduct(-1, "iPhone15,2")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sessions.advance(id, SessionStatus.PHASE_1, SessionStatus.PHASE_2)).isInstanceOf(InvalidStateException.class);
        assertThatThrownBy(() -> sessions.authenticate(id, 1, "fp")).isInstanceOf(InvalidStateException.class);
        sessions.advance(id, SessionStatus.PHASE_2, SessionStatus.PHASE_3);
        EnrolledDevice d = Fixtures.device(store);
        EnrollmentSession bound = sessions.authenticate(id, d.id(), "fp-1");
        assertThat(bound.status()).isEqualTo(SessionStatus.AUTHENTICATED);
        assertThat(bound.enrolledDeviceId()).isEqualTo(d.id());
        assertThat(bound.certFingerprint()).isEqualTo("fp-1");
        assertThatThrownBy(() -> sessions.authenticate(id, d.id(), "fp-2")).isInstanceOf(InvalidStateException.class);
        assertThat(sessions.advance(id, SessionStatus.AUTHENTICATED, SessionStatus.COMPLETED).status()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(sessions.latestForDevice(d.id())).hasValueSatisfying(s -> assertThat(s.id()).isEqualTo(id));

        EnrollmentSessionRepository.Started user = sessions.start(SessionKind.USER, null, SessionStatus.ACCOUNT_DRIVEN_START, null, null);
        sessions.setManagedAppleId(user.session().id(), "jane@example.com");
        assertThat(sessions.findById(user.session().id()).orElseThrow().managedAppleId()).isEqualTo("jane@example.com");
    }
}
