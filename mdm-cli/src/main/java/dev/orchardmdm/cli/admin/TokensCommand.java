package dev.orchardmdm.cli.admin;

import dev.orchardmdm.cli.CliException;
import dev.orchardmdm.cli.Terminal;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.store.ApiToken;
import dev.orchardmdm.store.ApiTokenRepository;
import dev.orchardmdm.store.NotFoundException;
import dev.orchardmdm.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mdm tokens}: the admin API tokens of the server. */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Create, list and revoke admin API tokens (Authorization: Token <token>).",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class,
                TokensCommand.PermissionsList.class})
public final class TokensCommand {

    /** Either explicit permissions or all of them. */
    static final class Grant {
        @Option(names = {"-p", "--permission"}, paramLabel = "PERMISSION", required = true,
                description = "A permission, e.g. mdm.view_enrolleddevice (repeat for several;"
                        + " see: mdm tokens permissions).")
        List<String> permissions;

        @Option(names = "--all-permissions", required = true, description = "Every permission.")
        boolean all;

        Set<String> resolve() throws CliException {
            if (all) {
                return Permissions.all();
            }
            Set<String> chosen = new TreeSet<>();
            for (String p : permissions) {
                if (!Permissions.isKnown(p)) {
                    throw new CliException("unknown permission '" + p + "' (see: mdm tokens permissions)");
                }
                chosen.add(p);
            }
            return chosen;
        }
    }

    /** {@code create}: prints the new token alone on the last line, once. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create an API token. The token is printed once, alone on the last line of the",
                    "output (the server keeps only its hash): store it now."})
    static final class Create implements Callable<Integer> {
        private final Terminal terminal;
        @Spec CommandSpec spec;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the token is for.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Grant grant;

        @Option(names = "--expires-in-days", paramLabel = "DAYS",
                description = "Expire the token after DAYS days (default: never).")
        Integer expiresInDays;

        Create(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws CliException {
            if (name.isBlank() || name.length() > 200) {
                throw new CliException("the name must have 1 to 200 characters");
            }
            if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
                throw new CliException("--expires-in-days must be between 1 and 3650");
            }
            Set<String> permissions = grant.resolve();
            try (ServerContext context = ConfigOption.open(spec, terminal)) {
                Instant expiresAt = expiresInDays == null ? null
                        : context.clock().instant().plus(Duration.ofDays(expiresInDays));
                ApiTokenRepository.Created created = context.store().apiTokens().create(name, permissions, expiresAt);
                ApiToken token = created.token();
                Audit.record(context, terminal, "created", "api_token", token.id(),
                        Map.of("name", name, "permissions", new TreeSet<>(permissions),
                                "expires_at", expiresAt == null ? "never" : expiresAt.toString()));
                terminal.out().println("id:          " + token.id());
                terminal.out().println("name:        " + token.name());
                terminal.out().println("permissions: " + (grant.all ? "all (" + permissions.size() + ")"
                        : String.join(", ", new TreeSet<>(permissions))));
                terminal.out().println("expires:     " + (expiresAt == null ? "never" : expiresAt));
                terminal.err().println("The token follows; it is shown only this once.");
                terminal.err().flush();
                terminal.out().println(created.secret());
            } catch (StoreException e) {
                throw new CliException("cannot create the token: " + e.getMessage(), e);
            }
            return 0;
        }
    }

    /** {@code list}: the tokens (never their values). */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the API tokens (not their values).")
    static final class ListTokens implements Callable<Integer> {
        private final Terminal terminal;
        @Spec CommandSpec spec;

        ListTokens(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws CliException {
            try (ServerContext context = ConfigOption.open(spec, terminal)) {
                Instant now = context.clock().instant();
                terminal.out().printf("%-6s %-24s %-8s %-24s %-24s %s%n", "ID", "NAME", "STATUS", "CREATED",
                        "LAST USED", "PERMISSIONS");
                for (ApiToken t : context.store().apiTokens().list()) {
                    terminal.out().printf("%-6d %-24s %-8s %-24s %-24s %s%n", t.id(), t.name(), status(t, now),
                            t.createdAt(), t.lastUsedAt() == null ? "never" : t.lastUsedAt(), describe(t));
                }
            }
            return 0;
        }

        private static String status(ApiToken t, Instant now) {
            if (t.revokedAt() != null) {
                return "revoked";
            }
            if (t.expiresAt() != null && !now.isBefore(t.expiresAt())) {
                return "expired";
            }
            return "active";
        }

        private static String describe(ApiToken t) {
            if (t.permissions().containsAll(Permissions.all())) {
                return "all";
            }
            return String.join(",", new TreeSet<>(t.permissions()));
        }
    }

    /** {@code revoke}: the token stops authenticating at once. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke API tokens: they stop working at once.")
    static final class Revoke implements Callable<Integer> {
        private final Terminal terminal;
        @Spec CommandSpec spec;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "Id of the token (repeatable).")
        List<Long> ids = new ArrayList<>();

        Revoke(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws CliException {
            try (ServerContext context = ConfigOption.open(spec, terminal)) {
                ApiTokenRepository tokens = context.store().apiTokens();
                for (long id : ids) {
                    if (tokens.findById(id).isEmpty()) {
                        throw new CliException("no API token has the id " + id + " (see: mdm tokens list)");
                    }
                }
                for (long id : ids) {
                    try {
                        tokens.revoke(id);
                    } catch (NotFoundException e) {
                        throw new CliException("the API token " + id + " is revoked already", e);
                    }
                    Audit.record(context, terminal, "revoked", "api_token", id, Map.of());
                    terminal.out().println("revoked " + id);
                }
            } catch (StoreException e) {
                throw new CliException("cannot revoke: " + e.getMessage(), e);
            }
            return 0;
        }
    }

    /** {@code permissions}: the names a token can carry. */
    @Command(name = "permissions", mixinStandardHelpOptions = true,
            description = "List the permission names a token can carry.")
    static final class PermissionsList implements Callable<Integer> {
        private final Terminal terminal;

        PermissionsList(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            Permissions.all().forEach(terminal.out()::println);
            return 0;
        }
    }
}
