package dev.orchardmdm.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.cli.CliRun;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.store.ApiToken;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administration commands on PostgreSQL ({@code database.url} in the server's configuration), in
 * a schema of their own from mdm-store's {@link TestDatabases}.
 */
class PostgresAdminTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();

    @TempDir
    static Path dir;
    static Path config;
    static PushFixtures fixtures;

    @BeforeAll
    static void setUp() throws Exception {
        DBS.database(DatabaseKind.POSTGRESQL); // creates the schema (skipped only with ORCHARD_TEST_POSTGRES=skip)
        String base = TestDatabases.postgresBaseUrl();
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + DBS.postgresSchema();
        config = dir.resolve("orchard.json");
        Files.writeString(config, "{\"data_dir\": \"{{ env:TEST_DATA_DIR }}\", \"database\": {\"url\": \""
                + url + "\"}}");
        fixtures = new PushFixtures(Files.createDirectory(dir.resolve("certs")));
    }

    private static CliRun mdm(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return CliRun.run("", Map.of("TEST_DATA_DIR", dir.resolve("data").toString()), all);
    }

    private static ServerContext open() throws Exception {
        return ServerContext.open(new ConfigLoader(Map.of("TEST_DATA_DIR", dir.resolve("data").toString())::get, dir)
                .load(config));
    }

    @Test
    void tokensAndPushCertificatesOnPostgresql() throws Exception {
        CliRun migrate = mdm("migrate");
        assertThat(migrate.status()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).contains("jdbc:postgresql:");

        CliRun created = mdm("tokens", "create", "--name", "pg", "--permission", "mdm.view_enrolleddevice");
        assertThat(created.status()).as(created.toString()).isZero();
        String[] lines = created.out().strip().split("\n");
        String token = lines[lines.length - 1];
        try (ServerContext context = open()) {
            Optional<ApiToken> t = context.store().apiTokens().authenticate(token);
            assertThat(t).map(ApiToken::permissions).contains(java.util.Set.of("mdm.view_enrolleddevice"));
            assertThat(mdm("tokens", "revoke", "--id", Long.toString(t.orElseThrow().id())).status()).isZero();
            assertThat(context.store().apiTokens().authenticate(token)).isEmpty();
        }

        CliRun imported = mdm("push-certs", "import", "--name", "pg", "--certificate", fixtures.f("first.pem"),
                "--key", fixtures.f("push.key"), "--key-password-file", fixtures.f("password"));
        assertThat(imported.status()).as(imported.toString()).isZero();
        CliRun refused = mdm("push-certs", "renew", "--name", "pg", "--certificate", fixtures.f("other-topic.pem"),
                "--key", fixtures.f("plain.key"));
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("differs from the topic " + PushFixtures.TOPIC);
        CliRun renewed = mdm("push-certs", "renew", "--name", "pg", "--certificate", fixtures.f("renewed.der"),
                "--key", fixtures.f("plain.key"));
        assertThat(renewed.status()).as(renewed.toString()).isZero();
        try (ServerContext context = open()) {
            List<PushCertificate> certs = context.store().pushCertificates().list(null);
            assertThat(certs).singleElement().satisfies(c -> assertThat(c.topic()).isEqualTo(PushFixtures.TOPIC));
            assertThat(renewed.out()).contains("id:        " + certs.get(0).id());
            byte[] key = context.store().pushCertificates().privateKey(certs.get(0).id()).orElseThrow();
            assertThat(key).isEqualTo(fixtures.pushKeys.getPrivate().getEncoded());
        }
    }
}
