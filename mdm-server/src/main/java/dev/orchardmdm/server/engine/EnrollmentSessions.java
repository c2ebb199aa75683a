package dev.orchardmdm.server.engine;

import dev.orchardmdm.crypto.keys.NameAttribute;
import dev.orchardmdm.crypto.scep.ChallengeChecker;
import dev.orchardmdm.crypto.scep.MessageType;
import dev.orchardmdm.crypto.scep.ScepRequest;
import dev.orchardmdm.store.Enrollment;
import dev.orchardmdm.store.EnrollmentSession;
import dev.orchardmdm.store.EnrollmentSessionRepository;
import dev.orchardmdm.store.SessionKind;
import dev.orchardmdm.store.SessionStatus;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.util.Objects;
import java.util.Optional;

/**
 * Enrollment sessions: starting them (each enrollment profile download makes a fresh one) and
 * judging SCEP requests against them. A session's secret is the SCEP challenge and is carried in
 * the identity subject ({@code MDM$<TYPE>$<secret>}); a CSR whose subject names another session,
 * or a session that is not at the certificate-request step, is refused.
 */
public final class EnrollmentSessions {
    private final Store store;

    public EnrollmentSessions(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The session kind used by enrollments of this type. */
    public static SessionKind kindOf(Enrollment enrollment) {
        return switch (enrollment.type()) {
            case OTA -> SessionKind.OTA;
            case DEP -> SessionKind.DEP;
            case USER -> SessionKind.USER;
        };
    }

    /**
     * Starts a session ready for the MDM identity request (SCEP) and Authenticate: an OTA session
     * at phase 3 (its profile-service phases are skipped: the admin hands the MDM profile over
     * directly), an ADE or user session at STARTED.
     *
     * @param serialNumber the device's serial number if known (the session is then pinned to it)
     * @param udid         the device's UDID if known (likewise)
     */
    public EnrollmentSessionRepository.Started startForMdmProfile(Enrollment enrollment, String serialNumber,
                                                                  String udid) throws StoreException {
        SessionKind kind = kindOf(enrollment);
        EnrollmentSessionRepository sessions = store.enrollmentSessions();
        if (kind == SessionKind.OTA) {
            EnrollmentSessionRepository.Started s = sessions.start(kind, enrollment.id(), SessionStatus.PHASE_1,
                    serialNumber, udid);
            sessions.advance(s.session().id(), SessionStatus.PHASE_1, SessionStatus.PHASE_2);
            EnrollmentSession at3 = sessions.advance(s.session().id(), SessionStatus.PHASE_2, SessionStatus.PHASE_3);
            return new EnrollmentSessionRepository.Started(at3, s.secret());
        }
        return sessions.start(kind, enrollment.id(), SessionStatus.STARTED, serialNumber, udid);
    }

    /**
     * The SCEP challenge checker: the challenge is a session secret; the CSR's CN must be
     * {@code MDM$<TYPE>$<that secret>} (or {@code OTA$<secret>} for the OTA phase-2 identity) and
     * the session must be at the step where it requests that certificate.
     */
    public ChallengeChecker scepChallengeChecker() {
        return this::acceptScep;
    }

    private boolean acceptScep(String challenge, ScepRequest request) {
        if (challenge == null || request.type() != MessageType.PKCS_REQ) {
            return false;
        }
        String cn = request.subjectAttribute(NameAttribute.CN);
        Optional<SessionSecret> named = SessionSecret.parse(cn);
        if (named.isEmpty() || !constantTimeEquals(named.get().secret(), challenge)) {
            return false;
        }
        Optional<EnrollmentSession> session = store.enrollmentSessions().findBySecret(challenge);
        if (session.isEmpty() || !IdentityBinding.typeOf(session.get().kind()).equals(named.get().type())) {
            return false;
        }
        SessionStatus status = session.get().status();
        if ("OTA".equals(named.get().prefix())) {
            return status == SessionStatus.PHASE_2;
        }
        return switch (session.get().kind()) {
            case OTA -> status == SessionStatus.PHASE_3;
            case DEP, USER, REENROLLMENT -> status == SessionStatus.STARTED;
        };
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
