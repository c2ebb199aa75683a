package dev.orchardmdm.server.storage;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.secrets.FieldCipher;
import dev.orchardmdm.crypto.secrets.FieldContext;
import dev.orchardmdm.store.Database;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The identities the server generates on first start and keeps in the database, their private
 * keys sealed by the {@link FieldCipher}: the embedded SCEP CA and the profile-signing identity.
 * Several replicas starting at once agree on one identity (the first insert wins).
 */
public final class ServerIdentities {
    /** Name of the embedded SCEP CA. */
    public static final String SCEP_CA = "scep_ca";
    /** Name of the profile-signing identity. */
    public static final String PROFILE_SIGNING = "profile_signing";

    private static final String TABLE = "server_identities";
    private final Database database;
    private final FieldCipher cipher;
    private final Clock clock;

    public ServerIdentities(Database database, FieldCipher cipher, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The embedded SCEP CA (RSA 2048, 10 years, self-signed), created on first call. */
    public KeyAndChain scepCa() throws CryptoException {
        return getOrCreate(SCEP_CA, () -> {
            KeyPair kp = KeyPairs.rsa(2048);
            X509Certificate cert = new CertificateBuilder("CN=Orchard SCEP CA,O=Orchard MDM", kp.getPublic())
                    .validity(now().minus(Duration.ofMinutes(5)), now().plus(Duration.ofDays(3650)))
                    .ca(0)
                    .keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                            | KeyUsage.keyEncipherment)
                    .selfSigned(kp.getPrivate());
            return KeyAndChain.of(kp.getPrivate(), cert);
        });
    }

    /** The profile-signing identity (RSA 2048, 5 years, self-signed), created on first call. */
    public KeyAndChain profileSigning() throws CryptoException {
        return getOrCreate(PROFILE_SIGNING, () -> {
            KeyPair kp = KeyPairs.rsa(2048);
            X509Certificate cert = new CertificateBuilder("CN=Orchard MDM Profile Signing,O=Orchard MDM", kp.getPublic())
                    .validity(now().minus(Duration.ofMinutes(5)), now().plus(Duration.ofDays(1825)))
                    .keyUsage(KeyUsage.digitalSignature)
                    .extendedKeyUsage(KeyPurposeId.id_kp_codeSigning)
                    .selfSigned(kp.getPrivate());
            return KeyAndChain.of(kp.getPrivate(), cert);
        });
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private KeyAndChain getOrCreate(String name, java.util.function.Supplier<KeyAndChain> generator)
            throws CryptoException {
        Optional<KeyAndChain> existing = load(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        KeyAndChain fresh = generator.get();
        byte[] sealed = cipher.seal(fresh.privateKey().getEncoded(), context(name));
        String sql = "INSERT INTO server_identities (name, certificate_pem, private_key, created_at)"
                + " VALUES (:name, :pem, :key, :now) ON CONFLICT (name) DO NOTHING";
        database.jdbi().useHandle(h -> h.createUpdate(sql)
                .bind("name", name).bind("pem", Pem.certificates(fresh.chain())).bind("key", sealed)
                .bind("now", clock.millis()).execute());
        return load(name).orElseThrow(() -> new IllegalStateException("server identity " + name + " not stored"));
    }

    private Optional<KeyAndChain> load(String name) throws CryptoException {
        record Row(String pem, byte[] key) {
        }
        Optional<Row> row = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT certificate_pem, private_key FROM server_identities WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getBytes(2))).findOne());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        List<X509Certificate> chain = Certificates.parseChain(row.get().pem());
        PrivateKey key = Pem.readPrivateKey(cipher.open(row.get().key(), context(name)));
        return Optional.of(new KeyAndChain(key, chain));
    }

    private static FieldContext context(String name) {
        return new FieldContext(TABLE, "private_key", name);
    }
}
