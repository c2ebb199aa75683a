package dev.orchardmdm.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.store.Database;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerIdentitiesTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void generatedOnceStoredSealedAndStable(DatabaseKind kind) throws Exception {
        Database db = DBS.database(kind);
        ServerSchema.migrate(db);
        ServerSchema.migrate(db);
        ServerIdentities a = new ServerIdentities(db, DBS.cipher(), Clock.systemUTC());
        ServerIdentities b = new ServerIdentities(db, DBS.cipher(), Clock.systemUTC());
        KeyAndChain ca = a.scepCa();
        assertThat(b.scepCa().certificate()).isEqualTo(ca.certificate());
        assertThat(b.scepCa().privateKey().getEncoded()).isEqualTo(ca.privateKey().getEncoded());
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        Certificates.checkKeyMatches(ca.certificate(), ca.privateKey());
        KeyAndChain signing = a.profileSigning();
        assertThat(signing.certificate()).isNotEqualTo(ca.certificate());
        // the private key is never stored in clear
        byte[] stored = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT private_key FROM server_identities WHERE name = 'scep_ca'").mapTo(byte[].class).one());
        String der = Base64.getEncoder().encodeToString(ca.privateKey().getEncoded());
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(der.substring(0, 40));
        assertThat(indexOf(stored, ca.privateKey().getEncoded())).isEqualTo(-1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + 32 <= haystack.length; i++) {
            for (int j = 0; j < 32; j++) {
                if (haystack[i + j] != needle[j + 64]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
