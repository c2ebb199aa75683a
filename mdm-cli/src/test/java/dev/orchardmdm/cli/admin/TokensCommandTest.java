package dev.orchardmdm.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.cli.CliRun;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.store.ApiToken;
import dev.orchardmdm.store.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mdm tokens} against the server's configuration on a temporary SQLite data directory: the
 * printed token authenticates through the store the server uses, with exactly the granted permissions.
 */
class TokensCommandTest {
    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("orchard.json");
        Files.writeString(config, "{\"data_dir\": \"{{ env:TEST_DATA_DIR }}\"}");
    }

    private CliRun mdm(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return CliRun.run("", Map.of("TEST_DATA_DIR", dir.resolve("data").toString(), "USER", "alice"), all);
    }

    private <T> T withContext(java.util.function.Function<ServerContext, T> f) throws Exception {
        ConfigLoader loader = new ConfigLoader(Map.of("TEST_DATA_DIR", dir.resolve("data").toString())::get, dir);
        try (ServerContext context = ServerContext.open(loader.load(config))) {
            return f.apply(context);
        }
    }

    private Optional<ApiToken> authenticate(String token) throws Exception {
        return withContext(c -> {
            try {
                return c.store().apiTokens().authenticate(token);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void createPrintsTheTokenAloneOnTheLastLineAndItAuthenticatesWithItsPermissions() throws Exception {
        CliRun r = mdm("tokens", "create", "--name", "ci", "--permission", "mdm.view_enrolleddevice",
                "--permission", "mdm.add_devicecommand");
        assertThat(r.status()).as(r.toString()).isZero();
        String token = lastLine(r.out());
        assertThat(token).matches("\\S{20,}");
        assertThat(r.out().indexOf(token)).isEqualTo(r.out().lastIndexOf(token));
        assertThat(r.err()).doesNotContain(token);
        ApiToken t = authenticate(token).orElseThrow();
        assertThat(t.name()).isEqualTo("ci");
        assertThat(t.permissions()).containsExactlyInAnyOrder("mdm.view_enrolleddevice", "mdm.add_devicecommand");
        assertThat(authenticate(token + "x")).isEmpty();
        List<AuditEvent> audit = withContext(c -> c.store().auditLog().list("api_token", null, 10, 0));
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("created");
            assertThat(e.actor()).isEqualTo("cli:alice");
            assertThat(e.objectId()).isEqualTo(Long.toString(t.id()));
            assertThat(e.detail()).contains("mdm.add_devicecommand").doesNotContain(token);
        });
    }

    @Test
    void allPermissionsGrantsTheWholeCatalogAndListNeverShowsTokens() throws Exception {
        CliRun r = mdm("tokens", "create", "--name", "admin", "--all-permissions");
        assertThat(r.status()).as(r.toString()).isZero();
        String token = lastLine(r.out());
        ApiToken t = authenticate(token).orElseThrow();
        assertThat(t.permissions()).isEqualTo(Permissions.all())
                .contains("mdm.view_filevault_prk", "mdm.view_depvirtualserver", "mdm.add_softwareupdate",
                        "audit.view_auditevent");
        CliRun list = mdm("tokens", "list");
        assertThat(list.status()).as(list.toString()).isZero();
        assertThat(list.out()).contains("admin").contains("active").contains(" all").doesNotContain(token);
    }

    @Test
    void revokeStopsTheTokenAtOnce() throws Exception {
        String token = lastLine(mdm("tokens", "create", "--name", "old", "--permission",
                "mdm.view_enrolleddevice").out());
        long id = authenticate(token).orElseThrow().id();
        CliRun r = mdm("tokens", "revoke", "--id", Long.toString(id));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(authenticate(token)).isEmpty();
        assertThat(mdm("tokens", "list").out()).contains("revoked");
        CliRun again = mdm("tokens", "revoke", "--id", Long.toString(id));
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("revoked already");
        CliRun unknown = mdm("tokens", "revoke", "--id", "999");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no API token has the id 999");
    }

    @Test
    void refusesUnknownPermissionsAndAmbiguousGrants() throws Exception {
        CliRun unknown = mdm("tokens", "create", "--name", "x", "--permission", "mdm.view_everything");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown permission 'mdm.view_everything'");
        CliRun both = mdm("tokens", "create", "--name", "x", "--permission", "mdm.view_enrolleddevice",
                "--all-permissions");
        assertThat(both.status()).isEqualTo(2);
        CliRun none = mdm("tokens", "create", "--name", "x");
        assertThat(none.status()).isEqualTo(2);
        List<ApiToken> tokens = withContext(c -> c.store().apiTokens().list());
        assertThat(tokens).isEmpty();
    }

    @Test
    void permissionsListsTheCatalog() {
        CliRun r = CliRun.run("", "tokens", "permissions");
        assertThat(r.status()).isZero();
        assertThat(r.out().lines()).contains("mdm.view_enrolleddevice", "mdm.view_recovery_password",
                "mdm.view_location", "mdm.view_locationasset", "mdm.change_enrolleddevice");
    }
}
