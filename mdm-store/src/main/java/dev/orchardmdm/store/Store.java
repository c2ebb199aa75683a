package dev.orchardmdm.store;

import dev.orchardmdm.crypto.secrets.FieldCipher;
import java.time.Clock;
import java.util.Objects;

/**
 * All repositories over one {@link Database}, sharing one {@link FieldCipher} for the encrypted
 * columns and one clock. Cheap to build; thread-safe.
 */
public final class Store {
    private final Database database;
    private final PushCertificateRepository pushCertificates;

    public Store(Database database, FieldCipher cipher, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        Secrets secrets = new Secrets(cipher);
        this.pushCertificates = new PushCertificateRepository(database, secrets, clock);
    }

    public Database database() {
        return database;
    }

    public PushCertificateRepository pushCertificates() {
        return pushCertificates;
    }
}
