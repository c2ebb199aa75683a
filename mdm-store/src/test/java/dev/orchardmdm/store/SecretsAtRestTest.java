package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.Fixtures;
import dev.orchardmdm.store.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Writes a known secret into every encrypted column, then scans the raw storage for it. */
class SecretsAtRestTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void noSecretIsStoredInPlaintext(DatabaseKind kind) throws Exception {
        Store store = DBS.store(kind);
        String secret = "S3CRET-" + UUID.randomUUID();
        String visibleMarker = "VISIBLE-" + UUID.randomUUID();
        byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);

        PushCertificate cert = store.pushCertificates().create(visibleMarker, null, new PushCertificateRepository.Material(
                "topic-" + visibleMarker, "PEM", secretBytes, null, null));
        EnrolledDevice d = store.devices().authenticate(new DeviceRepository.Authentication(UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), visibleMarker, null, null, null, null, null, cert.id(), "fp", null, null, false, false));
        store.devices().tokenUpdate(d.id(), new DeviceRepository.TokenUpdate(new byte[] {1}, "magic", "topic", secretBytes, null));
        for (DeviceSecret s : DeviceSecret.values()) {
            if (s != DeviceSecret.UNLOCK_TOKEN) {
                store.devices().storeSecret(d.id(), s, secret);
            }
        }
        store.commands().enqueue(new NewCommand(UUID.randomUUID(), CommandTarget.device(d), "DeviceLock", null, null, null,
                visibleMarker.getBytes(StandardCharsets.UTF_8), Map.of("PIN", secret), null));
        store.blueprints().createRecoveryPasswordConfig(new RecoveryPasswordConfig.Spec(visibleMarker, false,
                secret.substring(0, 32), 0, 0, false));
        DepToken token = store.dep().createToken("PEM", secretBytes);
        store.dep().setTokenCredentials(token.id(), new DepToken.Credentials("ck", secret, "at", secret, null));
        store.appsBooks().createLocation(new Location.Spec("loc", "org", null, null, null, null, UUID.randomUUID(),
                Instant.parse("2050-01-01T00:00:00Z")), secret, secret);
        ApiTokenRepository.Created apiToken = store.apiTokens().create("scan", java.util.Set.of("mdm.view_enrolleddevice"), null);
        EnrollmentSessionRepository.Started session = store.enrollmentSessions().start(SessionKind.DEP, null, SessionStatus.STARTED, null, null);

        // the values are still readable through the repositories
        assertThat(store.devices().secretString(d.id(), DeviceSecret.FILEVAULT_PRK)).hasValue(secret);
        assertThat(store.dep().tokenCredentials(token.id()).orElseThrow().accessSecret()).isEqualTo(secret);

        List<String> needles = List.of(secret, secret.substring(0, 32), apiToken.secret(), session.secret());
        String storage = kind == DatabaseKind.SQLITE ? sqliteBytes() : postgresText();
        assertThat(storage).contains(visibleMarker); // the scan sees what is stored in the clear
        for (String needle : needles) {
            assertThat(storage).doesNotContain(needle);
            assertThat(storage).doesNotContainIgnoringCase(HexFormat.of().formatHex(needle.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Every byte of the SQLite database file, its WAL and shared-memory files, as ISO-8859-1 text. */
    private static String sqliteBytes() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(DBS.sqliteFile().getParent())) {
            for (Path p : files.toList()) {
                all.write(Files.readAllBytes(p));
            }
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** Every row of every table of the test schema, as PostgreSQL's text form (bytea as hex). */
    private static String postgresText() {
        return DBS.database(DatabaseKind.POSTGRESQL).jdbi().withHandle(h -> {
            StringBuilder sb = new StringBuilder();
            List<String> tables = h.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = :s")
                    .bind("s", DBS.postgresSchema()).mapTo(String.class).list();
            assertThat(tables).contains("enrolled_devices", "command_queue", "dep_tokens", "locations");
            for (String table : tables) {
                for (String row : h.createQuery("SELECT t::text FROM " + DBS.postgresSchema() + "." + table + " t")
                        .mapTo(String.class).list()) {
                    sb.append(row).append('\n');
                }
            }
            return sb.toString();
        });
    }
}
