package dev.orchardmdm.store;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/** Enrollments (OTA, ADE, user) and their enrollment secrets. */
public final class EnrollmentRepository extends Repository {
    private final SecureRandom random = new SecureRandom();

    public EnrollmentRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    /**
     * Creates an enrollment with a new random secret.
     *
     * @throws ConflictException     if an enrollment of this type has the name
     * @throws InvalidStateException if the push certificate or blueprint does not exist
     */
    public Enrollment create(EnrollmentSpec spec) throws StoreException {
        Instant now = now();
        String secret = Rows.randomToken(random, 24);
        return tx(h -> {
            var q = h.createQuery("INSERT INTO enrollments (type, name, display_name, push_certificate_id, blueprint_id, secret,"
                    + " secret_quota, secret_expired_at, serial_numbers, udids, return_to_service, macos_min_version,"
                    + " ios_min_version, settings, created_at, updated_at) VALUES (:type, :name, :displayName, :pushCertificateId,"
                    + " :blueprintId, :secret, :secretQuota, :secretExpiredAt, :serials, :udids, :returnToService,"
                    + " :macosMinVersion, :iosMinVersion, :settings, :now, :now) RETURNING id");
            bindSpec(q, spec).bind("secret", secret).bind("now", now);
            return get(h, q.mapTo(Long.class).one());
        });
    }

    /** Replaces the admin-set fields of an enrollment (its type and secret stay). */
    public Enrollment update(long id, EnrollmentSpec spec) throws StoreException {
        return tx(h -> {
            Enrollment current = find(h, id).orElseThrow(() -> new NotFoundException("enrollment " + id));
            if (current.type() != spec.type()) {
                throw new InvalidStateException("the type of an enrollment cannot change");
            }
            var u = h.createUpdate("UPDATE enrollments SET name = :name, display_name = :displayName,"
                    + " push_certificate_id = :pushCertificateId, blueprint_id = :blueprintId, secret_quota = :secretQuota,"
                    + " secret_expired_at = :secretExpiredAt, serial_numbers = :serials, udids = :udids,"
                    + " return_to_service = :returnToService, macos_min_version = :macosMinVersion,"
                    + " ios_min_version = :iosMinVersion, settings = :settings, updated_at = :now WHERE id = :id");
            bindSpec(u, spec).bind("now", now()).bind("id", id).execute();
            return get(h, id);
        });
    }

    private static <S extends SqlStatement<S>> S bindSpec(S s, EnrollmentSpec spec) {
        return s.bind("type", spec.type().name()).bind("name", spec.name()).bind("displayName", spec.displayName())
                .bind("pushCertificateId", spec.pushCertificateId()).bind("blueprintId", spec.blueprintId())
                .bind("secretQuota", spec.secretQuota()).bind("secretExpiredAt", spec.secretExpiredAt())
                .bind("serials", spec.serialNumbers().isEmpty() ? null : Json.write(spec.serialNumbers()))
                .bind("udids", spec.udids().isEmpty() ? null : Json.write(spec.udids()))
                .bind("returnToService", spec.returnToService()).bind("macosMinVersion", spec.macosMinVersion())
                .bind("iosMinVersion", spec.iosMinVersion()).bind("settings", spec.settings());
    }

    /**
     * Checks an enrollment secret presented by a device and counts its use, atomically: the secret
     * must exist, not be expired, be under its quota, and allow this serial number and UDID (when
     * the enrollment restricts them).
     *
     * @throws NotFoundException     if no enrollment has this secret
     * @throws InvalidStateException if the secret may not be used (expired, quota, not allowed)
     */
    public Enrollment useSecret(String secret, String serialNumber, String udid) throws StoreException {
        Instant now = now();
        return tx(h -> {
            Enrollment e = h.createQuery(SELECT + " WHERE secret = :s").bind("s", secret).map(EnrollmentRepository::map)
                    .findOne().orElseThrow(() -> new NotFoundException("unknown enrollment secret"));
            if (e.secretExpiredAt() != null && !now.isBefore(e.secretExpiredAt())) {
                throw new InvalidStateException("enrollment secret expired");
            }
            if (e.secretQuota() != null && e.secretRequestCount() >= e.secretQuota()) {
                throw new InvalidStateException("enrollment secret quota exhausted");
            }
            if (!e.serialNumbers().isEmpty() && (serialNumber == null || !e.serialNumbers().contains(serialNumber))) {
                throw new InvalidStateException("serial number not allowed by this enrollment");
            }
            if (!e.udids().isEmpty() && (udid == null || !e.udids().contains(udid))) {
                throw new InvalidStateException("UDID not allowed by this enrollment");
            }
            h.createUpdate("UPDATE enrollments SET secret_request_count = secret_request_count + 1 WHERE id = :id")
                    .bind("id", e.id()).execute();
            return get(h, e.id());
        });
    }

    /** Looks up by id; empty if there is none. */
    public Optional<Enrollment> findById(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** Looks an enrollment up by its secret without counting a use. */
    public Optional<Enrollment> findBySecret(String secret) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE secret = :s").bind("s", secret)
                .map(EnrollmentRepository::map).findOne());
    }

    /** Enrollments of a type (null: all), optionally only with {@code name}, ordered by id. */
    public List<Enrollment> list(EnrollmentType type, String name) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE (:type IS NULL OR type = :type)"
                        + " AND (:name IS NULL OR name = :name) ORDER BY id")
                .bind("type", type == null ? null : type.name()).bind("name", name)
                .map(EnrollmentRepository::map).list());
    }

    /** Deletes an enrollment (and its sessions). */
    public void delete(long id) throws StoreException {
        tx(h -> {
            if (h.createUpdate("DELETE FROM enrollments WHERE id = :id").bind("id", id).execute() == 0) {
                throw new NotFoundException("enrollment " + id);
            }
            return null;
        });
    }

    private static final String SELECT = "SELECT * FROM enrollments";

    private static Optional<Enrollment> find(Handle h, long id) {
        return h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map(EnrollmentRepository::map).findOne();
    }

    private static Enrollment get(Handle h, long id) {
        return find(h, id).orElseThrow();
    }

    private static Enrollment map(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new Enrollment(rs.getLong("id"), EnrollmentType.valueOf(rs.getString("type")), rs.getString("name"),
                rs.getString("display_name"), rs.getLong("push_certificate_id"), Rows.longOrNull(rs, "blueprint_id"),
                rs.getString("secret"), Rows.intOrNull(rs, "secret_quota"), rs.getInt("secret_request_count"),
                Rows.instant(rs, "secret_expired_at"), Json.stringList(rs.getString("serial_numbers")),
                Json.stringList(rs.getString("udids")), rs.getBoolean("return_to_service"),
                rs.getString("macos_min_version"), rs.getString("ios_min_version"), rs.getString("settings"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }
}
