package dev.orchardmdm.store;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Enrollment sessions: a status machine per {@link SessionKind}, a hashed secret, a device binding. */
public final class EnrollmentSessionRepository extends Repository {
    private static final String SELECT = "SELECT * FROM enrollment_sessions";
    private final SecureRandom random = new SecureRandom();

    public EnrollmentSessionRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    /** A new session and its secret, which is returned only here (only its hash is stored). */
    public record Started(EnrollmentSession session, String secret) {
    }

    /**
     * Starts a session with a fresh random secret (to be used as the SCEP challenge).
     *
     * @throws InvalidStateException if {@code status} is not a start status of {@code kind}, or the enrollment is missing
     */
    public Started start(SessionKind kind, Long enrollmentId, SessionStatus status, String serialNumber, String udid)
            throws StoreException {
        Objects.requireNonNull(kind, "kind");
        if (!kind.canStartIn(status)) {
            throw new InvalidStateException(kind + " session cannot start in " + status);
        }
        String secret = Rows.randomToken(random, 24);
        Instant now = now();
        EnrollmentSession session = tx(h -> get(h, insertReturningId(h, "INSERT INTO enrollment_sessions (kind, enrollment_id,"
                + " status, secret_hash, serial_number, udid, created_at, updated_at) VALUES (:kind, :enrollment, :status,"
                + " :hash, :serial, :udid, :now, :now)", q -> q.bind("kind", kind.name()).bind("enrollment", enrollmentId)
                .bind("status", status.name()).bind("hash", Rows.sha256Hex(secret)).bind("serial", serialNumber)
                .bind("udid", udid).bind("now", now))));
        return new Started(session, secret);
    }

    /** The session whose secret (SCEP challenge) is {@code secret}. */
    public Optional<EnrollmentSession> findBySecret(String secret) {
        if (secret == null) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE secret_hash = :h").bind("h", Rows.sha256Hex(secret))
                .map(EnrollmentSessionRepository::map).findOne());
    }

    /** Looks up by id; empty if there is none. */
    public Optional<EnrollmentSession> findById(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** The most recent session bound to a device. */
    public Optional<EnrollmentSession> latestForDevice(long enrolledDeviceId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE enrolled_device_id = :d ORDER BY id DESC LIMIT 1")
                .bind("d", enrolledDeviceId).map(EnrollmentSessionRepository::map).findOne());
    }

    /**
     * Moves a session one step along its status machine, only from {@code from} (compare-and-set).
     *
     * @throws InvalidStateException if the move is not the next step, or the session is no longer in {@code from}
     */
    public EnrollmentSession advance(long id, SessionStatus from, SessionStatus to) throws StoreException {
        return tx(h -> {
            EnrollmentSession s = find(h, id).orElseThrow(() -> new NotFoundException("enrollment session " + id));
            if (!s.kind().allows(from, to)) {
                throw new InvalidStateException(s.kind() + " session cannot go from " + from + " to " + to);
            }
            int n = h.createUpdate("UPDATE enrollment_sessions SET status = :to, updated_at = :now WHERE id = :id AND status = :from")
                    .bind("to", to.name()).bind("from", from.name()).bind("now", now()).bind("id", id).execute();
            if (n == 0) {
                throw new InvalidStateException("session " + id + " is in " + s.status() + ", not " + from);
            }
            return get(h, id);
        });
    }

    /**
     * Authenticate: moves the session to AUTHENTICATED from the status just before it and binds it
     * to the device and its identity certificate fingerprint (once; a second binding is refused).
     */
    public EnrollmentSession authenticate(long id, long enrolledDeviceId, String certFingerprint) throws StoreException {
        Objects.requireNonNull(certFingerprint, "certFingerprint");
        return tx(h -> {
            EnrollmentSession s = find(h, id).orElseThrow(() -> new NotFoundException("enrollment session " + id));
            if (!s.kind().allows(s.status(), SessionStatus.AUTHENTICATED)) {
                throw new InvalidStateException("session " + id + " cannot authenticate from " + s.status());
            }
            int n = h.createUpdate("UPDATE enrollment_sessions SET status = :to, enrolled_device_id = :d, cert_fingerprint = :fp,"
                            + " updated_at = :now WHERE id = :id AND status = :from AND enrolled_device_id IS NULL")
                    .bind("to", SessionStatus.AUTHENTICATED.name()).bind("d", enrolledDeviceId).bind("fp", certFingerprint)
                    .bind("now", now()).bind("id", id).bind("from", s.status().name()).execute();
            if (n == 0) {
                throw new InvalidStateException("session " + id + " is already bound");
            }
            return get(h, id);
        });
    }

    /** Records the product the device attested (e.g. {@code VirtualMac2,1}); at most 64 characters are kept. */
    public void setProduct(long id, String product) throws StoreException {
        String kept = product == null || product.isBlank() ? null : product.substring(0, Math.min(64, product.length()));
        tx(h -> {
            if (h.createUpdate("UPDATE enrollment_sessions SET product = :p, updated_at = :now WHERE id = :id")
                    .bind("p", kept).bind("now", now()).bind("id", id).execute() == 0) {
                throw new NotFoundException("enrollment session " + id);
            }
            return null;
        });
    }

    /** Records the managed Apple ID of a user-enrollment session. */
    public void setManagedAppleId(long id, String managedAppleId) throws StoreException {
        tx(h -> {
            if (h.createUpdate("UPDATE enrollment_sessions SET managed_apple_id = :m, updated_at = :now WHERE id = :id")
                    .bind("m", managedAppleId).bind("now", now()).bind("id", id).execute() == 0) {
                throw new NotFoundException("enrollment session " + id);
            }
            return null;
        });
    }

    private static Optional<EnrollmentSession> find(Handle h, long id) {
        return h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map(EnrollmentSessionRepository::map).findOne();
    }

    private static EnrollmentSession get(Handle h, long id) {
        return find(h, id).orElseThrow();
    }

    private static EnrollmentSession map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new EnrollmentSession(rs.getLong("id"), SessionKind.valueOf(rs.getString("kind")),
                Rows.longOrNull(rs, "enrollment_id"), SessionStatus.valueOf(rs.getString("status")),
                rs.getString("serial_number"), rs.getString("udid"), Rows.longOrNull(rs, "enrolled_device_id"),
                rs.getString("cert_fingerprint"), rs.getString("managed_apple_id"), rs.getString("product"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }
}
