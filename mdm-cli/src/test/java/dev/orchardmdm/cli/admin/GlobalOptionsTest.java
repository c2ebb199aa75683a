package dev.orchardmdm.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.cli.CliRun;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.store.ApiToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --config FILE} is a global option: every command that reads the server's configuration
 * takes it before the subcommand ({@code mdm --config F tokens create …}), between a command group
 * and its subcommand, and after the subcommand — and the command then works on that configuration's
 * data directory (never on the default {@code ./orchard-data}).
 */
class GlobalOptionsTest {
    @TempDir
    static Path files;
    static PushFixtures push;

    @TempDir
    Path dir;
    Path config;
    Path dataDir;

    /** Where {@code --config FILE} goes on the command line. */
    enum Position { BEFORE_THE_COMMAND, AFTER_THE_GROUP, AFTER_THE_SUBCOMMAND }

    @BeforeAll
    static void pushFixtures() throws Exception {
        push = new PushFixtures(files);
    }

    @BeforeEach
    void writeConfig() throws Exception {
        dataDir = dir.resolve("data");
        config = dir.resolve("orchard.json");
        Files.writeString(config, "{\"data_dir\": \"" + dataDir.toString().replace("\\", "\\\\") + "\"}");
    }

    /** Runs {@code mdm group [sub] args} with {@code --config FILE} at {@code position}. */
    private CliRun mdm(Position position, List<String> command, String... args) {
        List<String> all = new ArrayList<>();
        List<String> option = List.of("--config", config.toString());
        if (position == Position.BEFORE_THE_COMMAND) {
            all.addAll(option);
        }
        all.add(command.get(0));
        if (position == Position.AFTER_THE_GROUP) {
            all.addAll(option);
        }
        all.addAll(command.subList(1, command.size()));
        all.addAll(List.of(args));
        if (position == Position.AFTER_THE_SUBCOMMAND) {
            all.addAll(option);
        }
        return CliRun.run("", Map.of("USER", "alice"), all.toArray(String[]::new));
    }

    private ServerContext open() throws Exception {
        return ServerContext.open(new ConfigLoader().load(config));
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    @ParameterizedTest
    @EnumSource(Position.class)
    void tokensCreateListAndRevokeUseTheGivenConfiguration(Position position) throws Exception {
        CliRun created = mdm(position, List.of("tokens", "create"), "--name", "ci", "--all-permissions");
        assertThat(created.status()).as(created.toString()).isZero();
        String token = lastLine(created.out());
        long id;
        try (ServerContext context = open()) {
            ApiToken t = context.store().apiTokens().authenticate(token).orElseThrow();
            assertThat(t.name()).isEqualTo("ci");
            id = t.id();
        }

        CliRun listed = mdm(position, List.of("tokens", "list"));
        assertThat(listed.status()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains("ci");

        CliRun revoked = mdm(position, List.of("tokens", "revoke"), "--id", Long.toString(id));
        assertThat(revoked.status()).as(revoked.toString()).isZero();
        try (ServerContext context = open()) {
            assertThat(context.store().apiTokens().authenticate(token)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Position.class)
    void pushCertsImportRenewAndListUseTheGivenConfiguration(Position position) throws Exception {
        CliRun imported = mdm(position, List.of("push-certs", "import"), "--name", "default",
                "--certificate", push.f("first.pem"), "--key", push.f("plain.key"));
        assertThat(imported.status()).as(imported.toString()).isZero();
        CliRun renewed = mdm(position, List.of("push-certs", "renew"), "--name", "default",
                "--certificate", push.f("renewed.der"), "--key", push.f("plain.key"));
        assertThat(renewed.status()).as(renewed.toString()).isZero();
        try (ServerContext context = open()) {
            assertThat(context.store().pushCertificates().list(null)).singleElement()
                    .satisfies(c -> assertThat(c.topic()).isEqualTo(PushFixtures.TOPIC));
        }
        CliRun listed = mdm(position, List.of("push-certs", "list"));
        assertThat(listed.status()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains(PushFixtures.TOPIC);
    }

    @ParameterizedTest
    @EnumSource(value = Position.class, names = {"BEFORE_THE_COMMAND", "AFTER_THE_GROUP"})
    void migrateUsesTheGivenConfiguration(Position position) throws Exception {
        // migrate has no subcommand: "after the group" is after the command itself
        CliRun r = mdm(position, List.of("migrate"));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("is up to date");
        assertThat(dataDir).isDirectory();
        assertThat(Files.list(dataDir).toList()).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Position.class, names = {"AFTER_THE_GROUP", "AFTER_THE_SUBCOMMAND"})
    void mdmcertsTakesItsDirectoryBeforeOrAfterItsSubcommandAndRefusesConfig(Position position) throws Exception {
        Path work = dir.resolve("certs");
        List<String> args = new ArrayList<>(List.of("mdmcerts"));
        if (position == Position.AFTER_THE_GROUP) {
            args.addAll(List.of("--dir", work.toString(), "init"));
        } else {
            args.addAll(List.of("init", "--dir", work.toString()));
        }
        CliRun r = CliRun.run("vendor-password\nvendor-password\n", args.toArray(String[]::new));
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(work.resolve("vendor.csr")).isRegularFile();

        CliRun withConfig = CliRun.run("", "--config", config.toString(), "mdmcerts", "--dir", work.toString(),
                "req", "FR");
        assertThat(withConfig.status()).as(withConfig.toString()).isEqualTo(1);
        assertThat(withConfig.err()).contains("--config does not apply to mdmcerts");
    }
}
