package dev.orchardmdm.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Push certificates: certificate PEM, encrypted private key, unique topic, validity. */
public final class PushCertificateRepository extends Repository {
    private static final String TABLE = "push_certificates";
    private static final String COLUMNS = "id, provisioning_uid, name, topic, certificate_pem, not_before, not_after,"
            + " (private_key IS NOT NULL) AS has_private_key, created_at, updated_at";

    public PushCertificateRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    /** Certificate material for {@link #create} and {@link #updateCertificate}. */
    public record Material(String topic, String certificatePem, byte[] privateKey, Instant notBefore, Instant notAfter) {
    }

    /**
     * Creates a push certificate; {@code material} may be {@code null} while the certificate
     * request is being signed by Apple.
     *
     * @throws ConflictException if the name, provisioning uid or topic is taken
     */
    public PushCertificate create(String name, String provisioningUid, Material material) throws StoreException {
        Objects.requireNonNull(name, "name");
        Instant now = now();
        return tx(h -> {
            long id = insertReturningId(h, "INSERT INTO push_certificates (name, provisioning_uid, created_at, updated_at)"
                    + " VALUES (:name, :uid, :now, :now)", q -> q.bind("name", name).bind("uid", provisioningUid).bind("now", now));
            if (material != null) {
                writeMaterial(h, id, material, now);
            }
            return get(h, id);
        });
    }

    /**
     * Uploads a new or renewed certificate. A renewal must keep the topic of the certificate it renews.
     *
     * @throws InvalidStateException if the topic differs from the stored one
     */
    public PushCertificate updateCertificate(long id, Material material) throws StoreException {
        Objects.requireNonNull(material, "material");
        Instant now = now();
        return tx(h -> {
            PushCertificate current = find(h, id).orElseThrow(() -> new NotFoundException("push certificate " + id));
            if (current.topic() != null && !current.topic().equals(material.topic())) {
                throw new InvalidStateException("a renewed push certificate must keep the topic " + current.topic());
            }
            writeMaterial(h, id, material, now);
            return get(h, id);
        });
    }

    private void writeMaterial(Handle h, long id, Material m, Instant now) {
        h.createUpdate("UPDATE push_certificates SET topic = :topic, certificate_pem = :pem, not_before = :nb, not_after = :na,"
                        + " private_key = COALESCE(:key, private_key), updated_at = :now WHERE id = :id")
                .bind("topic", m.topic()).bind("pem", m.certificatePem()).bind("nb", m.notBefore()).bind("na", m.notAfter())
                .bind("key", secrets.seal(TABLE, "private_key", Long.toString(id), m.privateKey()))
                .bind("now", now).bind("id", id).execute();
    }

    /** The decrypted private key (PKCS#8 DER or PEM bytes, as stored). */
    public Optional<byte[]> privateKey(long id) throws StoreException {
        byte[] sealed = jdbi.withHandle(h -> h.createQuery("SELECT private_key FROM push_certificates WHERE id = :id")
                .bind("id", id).mapTo(byte[].class).findOne().orElse(null));
        return Optional.ofNullable(secrets.open(TABLE, "private_key", Long.toString(id), sealed));
    }

    /** Looks up by id; empty if there is none. */
    public Optional<PushCertificate> findById(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** Looks up by topic; empty if there is none. */
    public Optional<PushCertificate> findByTopic(String topic) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM push_certificates WHERE topic = :t")
                .bind("t", topic).map(ConstructorMapper.of(PushCertificate.class)).findOne());
    }

    /** All push certificates ordered by name, optionally only the one with {@code name}. */
    public List<PushCertificate> list(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM push_certificates"
                        + " WHERE (:name IS NULL OR name = :name) ORDER BY name")
                .bind("name", name).map(ConstructorMapper.of(PushCertificate.class)).list());
    }

    /**
     * Deletes a push certificate.
     *
     * @throws InvalidStateException if an enrollment still uses it
     */
    public void delete(long id) throws StoreException {
        tx(h -> {
            if (h.createUpdate("DELETE FROM push_certificates WHERE id = :id").bind("id", id).execute() == 0) {
                throw new NotFoundException("push certificate " + id);
            }
            return null;
        });
    }

    private static Optional<PushCertificate> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM push_certificates WHERE id = :id")
                .bind("id", id).map(ConstructorMapper.of(PushCertificate.class)).findOne();
    }

    private static PushCertificate get(Handle h, long id) {
        return find(h, id).orElseThrow();
    }
}
