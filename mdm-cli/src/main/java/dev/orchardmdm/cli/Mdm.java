package dev.orchardmdm.cli;

import dev.orchardmdm.cli.admin.MigrateCommand;
import dev.orchardmdm.cli.admin.PushCertsCommand;
import dev.orchardmdm.cli.admin.TokensCommand;
import dev.orchardmdm.cli.certs.MdmCertsCommand;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Objects;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code mdm} tool: builds the picocli command line with its subcommands, each given the
 * {@link Terminal} of the run. {@link #run(String...)} returns the exit status: 0 on success, 1 for
 * an error the user can act on ({@link CliException}), 2 for a usage error.
 *
 * <p>{@code --config FILE} is a global option ({@link ScopeType#INHERIT}): it is accepted before the
 * subcommand ({@code mdm --config FILE tokens create …}) as well as after it, at any level; picocli
 * stores it here, on the root command, wherever it was given.
 */
@Command(name = "mdm",
        mixinStandardHelpOptions = true,
        versionProvider = Mdm.Version.class,
        description = "Orchard MDM tool: vendor and push certificate requests, and administration.",
        subcommands = {
                MdmCertsCommand.class,
                TokensCommand.class,
                PushCertsCommand.class,
                MigrateCommand.class,
                AutoComplete.GenerateCompletion.class,
                CommandLine.HelpCommand.class})
public final class Mdm {
    private final Terminal terminal;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The server's configuration file (JSON), for the administration commands (tokens,"
                    + " push-certs, migrate); may be given before or after the subcommand. Without it, the"
                    + " server's defaults: data directory ./orchard-data, SQLite database in it.")
    Path config;

    public Mdm(Terminal terminal) {
        this.terminal = Objects.requireNonNull(terminal);
    }

    /** The global {@code --config FILE}, or null when it was not given. */
    public Path configFile() {
        return config;
    }

    /** The picocli command line of the tool, wired to {@code terminal}. */
    public static CommandLine commandLine(Terminal terminal) {
        CommandLine cli = new CommandLine(new Mdm(terminal), new Factory(terminal));
        cli.setOut(terminal.out());
        cli.setErr(terminal.err());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException) {
                commandLine.getErr().println("mdm: error: " + e.getMessage());
                commandLine.getErr().flush();
                return 1;
            }
            throw e;
        });
        CommandLine gen = cli.getSubcommands().get("generate-completion");
        if (gen != null) {
            gen.getCommandSpec().usageMessage().hidden(false);
        }
        return cli;
    }

    /** Runs the tool with {@code args}; returns the exit status. */
    public static int run(Terminal terminal, String... args) {
        int status = commandLine(terminal).execute(args);
        terminal.out().flush();
        terminal.err().flush();
        return status;
    }

    /** Reports the version of the tool from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Mdm.class.getPackage().getImplementationVersion();
            return new String[] {"mdm (Orchard MDM) " + (v == null ? "development build" : v)};
        }
    }

    /** Creates commands that take a {@link Terminal} in their constructor; the rest as picocli does. */
    private static final class Factory implements CommandLine.IFactory {
        private final Terminal terminal;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            Constructor<K> withTerminal;
            try {
                withTerminal = cls.getDeclaredConstructor(Terminal.class);
            } catch (NoSuchMethodException e) {
                return fallback.create(cls);
            }
            withTerminal.setAccessible(true);
            try {
                return withTerminal.newInstance(terminal);
            } catch (InvocationTargetException e) {
                throw (e.getCause() instanceof Exception cause) ? cause : e;
            }
        }
    }
}
