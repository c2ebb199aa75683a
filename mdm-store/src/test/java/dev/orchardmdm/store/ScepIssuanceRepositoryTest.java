package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.Fixtures;
import dev.orchardmdm.store.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScepIssuanceRepositoryTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    static ScepIssuanceRepository.Issuance issuance(String claim, String tx) {
        return new ScepIssuanceRepository.Issuance(claim, tx, "key-" + tx, new byte[] {1, 2, 3});
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aClaimIsSpentOnceEvenUnderConcurrency(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        String claim = "PKCSReq:" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String tx = "TX-" + i;
                results.add(pool.submit((Callable<Boolean>) () -> store.scepIssuances().record(issuance(claim, tx))));
            }
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        ScepIssuanceRepository.Issuance stored = store.scepIssuances().find(claim).orElseThrow();
        assertThat(stored.certificate()).containsExactly(1, 2, 3);
        assertThat(stored.publicKeySha256()).isEqualTo("key-" + stored.transactionId());
        assertThat(store.scepIssuances().find("PKCSReq:other")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRenewalMovesTheSessionBindingOnlyFromTheCurrentCertificate(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        PushCertificate cert = Fixtures.pushCertificate(store);
        Enrollment e = store.enrollments().create(EnrollmentSpec.of(EnrollmentType.DEP, "r-" + UUID.randomUUID(), cert.id()));
        EnrollmentSessionRepository.Started s = store.enrollmentSessions().start(SessionKind.DEP, e.id(),
                SessionStatus.STARTED, null, null);
        EnrolledDevice d = Fixtures.device(store);
        store.enrollmentSessions().authenticate(s.session().id(), d.id(), "fp-old");
        // not the current certificate: nothing is recorded, nothing moves
        assertThat(store.scepIssuances().recordRenewal(issuance("RenewalReq:fp-other", "T0"), s.session().id(),
                "fp-other", "fp-new")).isFalse();
        assertThat(store.scepIssuances().find("RenewalReq:fp-other")).isEmpty();
        assertThat(store.scepIssuances().recordRenewal(issuance("RenewalReq:fp-old", "T1"), s.session().id(),
                "fp-old", "fp-new")).isTrue();
        assertThat(store.enrollmentSessions().findById(s.session().id()).orElseThrow().certFingerprint())
                .isEqualTo("fp-new");
        // the renewed certificate cannot renew again (its claim is spent, and it is no longer bound)
        assertThat(store.scepIssuances().recordRenewal(issuance("RenewalReq:fp-old", "T2"), s.session().id(),
                "fp-old", "fp-newer")).isFalse();
        // a spent claim rolls the rebinding back
        store.scepIssuances().record(issuance("RenewalReq:fp-new", "T3"));
        assertThat(store.scepIssuances().recordRenewal(issuance("RenewalReq:fp-new", "T4"), s.session().id(),
                "fp-new", "fp-newest")).isFalse();
        assertThat(store.enrollmentSessions().findById(s.session().id()).orElseThrow().certFingerprint())
                .isEqualTo("fp-new");
    }
}
