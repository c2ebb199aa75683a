package dev.orchardmdm.server.engine;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.NameAttribute;
import dev.orchardmdm.crypto.scep.IssuanceLedger;
import dev.orchardmdm.crypto.scep.MessageType;
import dev.orchardmdm.crypto.scep.RenewalPolicy;
import dev.orchardmdm.crypto.scep.ScepRequest;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.EnrollmentSession;
import dev.orchardmdm.store.ScepIssuanceRepository;
import dev.orchardmdm.store.SessionStatus;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The embedded SCEP CA's memory, in the database (so that every server process sharing it agrees):
 * <ul>
 *   <li>a challenge (an enrollment session secret) admits one certificate per subject, i.e. per
 *       enrollment step (the OTA phase-2 {@code OTA$} identity, then the {@code MDM$} identity); a
 *       second PKCSReq with it is refused, unless it is the same transaction with the same key
 *       (a device that lost the CertRep), which gets the same certificate again;</li>
 *   <li>a RenewalReq renews only the certificate currently bound to its enrollment session (after
 *       Authenticate, the session being the device's latest, the device not blocked), once: the
 *       session's binding moves to the new certificate in the same transaction as the record, so the
 *       renewed certificate is refused from then on.</li>
 * </ul>
 */
public final class ScepIssuances implements IssuanceLedger {
    private final Store store;

    public ScepIssuances(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The renewal policy of the embedded CA: {@code window} before expiry, current certificates only. */
    public RenewalPolicy renewalPolicy(Duration window) {
        return new RenewalPolicy(window, c -> currentSession(c).isPresent());
    }

    @Override
    public Optional<X509Certificate> previous(String claim, ScepRequest request) throws CryptoException {
        Optional<ScepIssuanceRepository.Issuance> found = store.scepIssuances().find(claim);
        if (found.isEmpty() || !found.get().transactionId().equals(request.transactionId())
                || !found.get().publicKeySha256().equals(keyHash(request))) {
            return Optional.empty();
        }
        return Optional.of(Certificates.parseDer(found.get().certificate()));
    }

    @Override
    public boolean record(String claim, ScepRequest request, X509Certificate issued) throws CryptoException {
        ScepIssuanceRepository.Issuance issuance = new ScepIssuanceRepository.Issuance(claim,
                request.transactionId(), keyHash(request), Certificates.der(issued));
        try {
            if (request.type() != MessageType.RENEWAL_REQ) {
                return store.scepIssuances().record(issuance);
            }
            Optional<EnrollmentSession> session = currentSession(request.signer());
            return session.isPresent() && store.scepIssuances().recordRenewal(issuance, session.get().id(),
                    Certificates.sha256Fingerprint(request.signer()), Certificates.sha256Fingerprint(issued));
        } catch (StoreException e) {
            return false;
        }
    }

    /**
     * The enrollment session {@code certificate} is the current identity of: an MDM identity whose
     * session is authenticated, bound to this very certificate, the latest of a device that is not
     * blocked.
     */
    private Optional<EnrollmentSession> currentSession(X509Certificate certificate) {
        Optional<SessionSecret> secret = SessionSecret.parse(Certificates.subjectAttribute(certificate,
                NameAttribute.CN)).filter(s -> "MDM".equals(s.prefix()));
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        Optional<EnrollmentSession> session = store.enrollmentSessions().findBySecret(secret.get().secret());
        if (session.isEmpty() || session.get().enrolledDeviceId() == null
                || (session.get().status() != SessionStatus.AUTHENTICATED
                && session.get().status() != SessionStatus.COMPLETED)
                || !Certificates.sha256Fingerprint(certificate).equals(session.get().certFingerprint())) {
            return Optional.empty();
        }
        Optional<EnrolledDevice> device = store.devices().findById(session.get().enrolledDeviceId());
        if (device.isEmpty() || device.get().blockedAt() != null) {
            return Optional.empty();
        }
        Optional<EnrollmentSession> latest = store.enrollmentSessions().latestForDevice(device.get().id());
        return latest.isPresent() && latest.get().id() == session.get().id() ? session : Optional.empty();
    }

    private static String keyHash(ScepRequest request) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(request.publicKey().getEncoded()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
