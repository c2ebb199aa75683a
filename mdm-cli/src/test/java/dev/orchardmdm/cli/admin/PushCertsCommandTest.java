package dev.orchardmdm.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.cli.CliRun;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.store.PushCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mdm push-certs} and {@code mdm migrate} against the server's configuration, on a temporary
 * SQLite data directory; what they store is read back through the server's own bootstrap.
 */
class PushCertsCommandTest {
    static final String TOPIC = PushFixtures.TOPIC;
    static final String KEY_PASSWORD = PushFixtures.KEY_PASSWORD;

    @TempDir
    static Path files;
    static PushFixtures fixtures;

    @TempDir
    Path dataDir;
    Path config;

    @BeforeAll
    static void pki() throws Exception {
        fixtures = new PushFixtures(files);
    }

    @BeforeEach
    void writeConfig() throws Exception {
        config = dataDir.resolve("orchard.json");
        Files.writeString(config, "{\"data_dir\": \"" + dataDir.resolve("data").toString().replace("\\", "\\\\")
                + "\"}");
    }

    private CliRun mdm(String stdin, String... args) {
        return CliRun.run(stdin, Map.of(), args);
    }

    private String[] withConfig(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return all;
    }

    private List<PushCertificate> stored() throws Exception {
        try (ServerContext context = ServerContext.open(new ConfigLoader().load(config))) {
            return context.store().pushCertificates().list(null);
        }
    }

    private byte[] storedKey(long id) throws Exception {
        try (ServerContext context = ServerContext.open(new ConfigLoader().load(config))) {
            return context.store().pushCertificates().privateKey(id).orElseThrow();
        }
    }

    /** Imports first.pem with its unencrypted key as "default". */
    private void importDefault() {
        CliRun r = mdm("", withConfig("push-certs", "import", "--name", "default", "--certificate", f("first.pem"),
                "--key", f("plain.key")));
        assertThat(r.status()).as(r.toString()).isZero();
    }

    private String f(String name) {
        return fixtures.f(name);
    }

    @Test
    void importStoresTheCertificateAndTheDecryptedKeyAndPrintsIdAndTopic() throws Exception {
        CliRun r = mdm(KEY_PASSWORD + "\n", withConfig("push-certs", "import", "--name", "default",
                "--certificate", f("first.pem"), "--key", f("push.key")));
        assertThat(r.status()).as(r.toString()).isZero();
        List<PushCertificate> certs = stored();
        assertThat(certs).hasSize(1);
        PushCertificate c = certs.get(0);
        assertThat(c.name()).isEqualTo("default");
        assertThat(c.topic()).isEqualTo(TOPIC);
        assertThat(c.hasPrivateKey()).isTrue();
        assertThat(r.out()).contains("id:        " + c.id()).contains("topic:     " + TOPIC);
        assertThat(Pem.readPrivateKey(storedKey(c.id()))).isEqualTo(fixtures.pushKeys.getPrivate());
        // the key is sealed at rest: its DER is not in the SQLite file
        byte[] db = Files.readAllBytes(dataDir.resolve("data").resolve("orchard.db"));
        assertThat(indexOf(db, fixtures.pushKeys.getPrivate().getEncoded())).isNegative();
    }

    @Test
    void renewKeepsTheTopicAndReplacesTheCertificate() throws Exception {
        importDefault();
        long id = stored().get(0).id();
        Instant before = stored().get(0).notAfter();
        CliRun r = mdm("", withConfig("push-certs", "renew", "--name", "default", "--certificate", f("renewed.der"),
                "--key", f("push.key"), "--key-password-file", f("password")));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("id:        " + id).contains(TOPIC);
        try (ServerContext context = ServerContext.open(new ConfigLoader().load(config))) {
            assertThat(context.store().auditLog().list("push_certificate", Long.toString(id), 10, 0))
                    .extracting(e -> e.action()).containsExactly("renewed", "created");
        }
        assertThat(stored()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(id);
            assertThat(c.topic()).isEqualTo(TOPIC);
            assertThat(c.notAfter()).isAfter(before);
        });
    }

    @Test
    void renewTakesAPkcs12FileAndRefusesAmbiguousMaterial() throws Exception {
        importDefault();
        CliRun both = mdm("", withConfig("push-certs", "renew", "--name", "default", "--pkcs12", f("push.p12"),
                "--key", f("plain.key")));
        assertThat(both.status()).isEqualTo(1);
        assertThat(both.err()).contains("one or the other");
        CliRun wrong = mdm("nope\n", withConfig("push-certs", "renew", "--name", "default", "--pkcs12",
                f("push.p12")));
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.err()).contains("wrong password for the PKCS#12 file");
        Instant before = stored().get(0).notAfter();
        CliRun r = mdm(KEY_PASSWORD + "\n", withConfig("push-certs", "renew", "--name", "default", "--pkcs12",
                f("push.p12")));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(stored()).singleElement().satisfies(c -> assertThat(c.notAfter()).isAfter(before));
    }

    @Test
    void renewRefusesAnotherTopicAndExplainsWhy() throws Exception {
        importDefault();
        List<PushCertificate> before = stored();
        CliRun r = mdm("", withConfig("push-certs", "renew", "--name", "default", "--certificate",
                f("other-topic.pem"), "--key", f("plain.key")));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("differs from the topic " + TOPIC).contains("Renew").contains("Nothing was changed");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void importRefusesASecondCertificateOfTheSameTopic() throws Exception {
        importDefault();
        CliRun r = mdm("", withConfig("push-certs", "import", "--name", "again", "--certificate", f("renewed.der"),
                "--key", f("plain.key")));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("push-certs renew --name default");
        assertThat(stored()).hasSize(1);
    }

    @Test
    void refusesAWrongPasswordAKeyOfAnotherCertificateAndAnExpiredCertificate() throws Exception {
        CliRun wrong = mdm("not-the-password\n", withConfig("push-certs", "import", "--name", "default",
                "--certificate", f("first.pem"), "--key", f("push.key")));
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.err()).contains("wrong password");
        CliRun stranger = mdm("", withConfig("push-certs", "import", "--name", "default", "--certificate",
                f("first.pem"), "--key", f("stranger.key")));
        assertThat(stranger.status()).isEqualTo(1);
        assertThat(stranger.err()).contains("is not the key of the certificate");
        CliRun expired = mdm("", withConfig("push-certs", "import", "--name", "default", "--certificate",
                f("expired.pem"), "--key", f("plain.key")));
        assertThat(expired.status()).isEqualTo(1);
        assertThat(expired.err()).contains("expired");
        CliRun unknown = mdm("", withConfig("push-certs", "renew", "--name", "nope", "--certificate",
                f("first.pem"), "--key", f("plain.key")));
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no push certificate is named 'nope'");
        assertThat(stored()).isEmpty();
    }

    @Test
    void listShowsTheCertificates() throws Exception {
        importDefault();
        CliRun r = mdm("", withConfig("push-certs", "list"));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("default").contains(TOPIC);
    }

    @Test
    void migrateCreatesTheSchemaAndReportsItsVersions() throws Exception {
        CliRun r = mdm("", withConfig("migrate"));
        assertThat(r.status()).as(r.toString()).isZero();
        String expected;
        try (ServerContext context = ServerContext.open(new ConfigLoader().load(config))) {
            expected = context.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history").mapTo(String.class).one());
        }
        assertThat(expected).matches("[1-9][0-9]*");
        assertThat(r.out()).contains("up to date").contains("store schema version " + expected + ".");
        assertThat(dataDir.resolve("data").resolve("orchard.db")).exists();
        assertThat(stored()).isEmpty();
    }

    @Test
    void anInvalidConfigurationIsReportedWithItsKey() throws Exception {
        Files.writeString(config, "{\"database\": {\"url\": \"jdbc:mysql://nope\"}}");
        CliRun r = mdm("", withConfig("migrate"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("database.url");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
