package dev.orchardmdm.server;

import dev.orchardmdm.server.config.ConfigException;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.config.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar mdm-server.jar [--config FILE]}: starts the Orchard MDM server. Invalid
 * configuration stops the start with a message naming the key (exit code 2).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        usage("--config needs a FILE");
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    System.out.println("usage: java -jar mdm-server.jar [--config FILE]");
                    return;
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        ServerConfig config;
        try {
            config = configFile == null ? new ConfigLoader().defaults() : new ConfigLoader().load(configFile);
        } catch (ConfigException e) {
            System.err.println("orchard: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        LogFormat.apply(config.logFormat());
        ServerContext context;
        try {
            context = ServerContext.open(config);
        } catch (ConfigException e) {
            System.err.println("orchard: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        printBanner(System.out, config, configFile, config.server().port());
        OrchardServer server;
        try {
            server = OrchardServer.start(context, RouteModules.all());
        } catch (ConfigException e) {
            context.close();
            System.err.println("orchard: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        org.slf4j.LoggerFactory.getLogger(Main.class).info("Orchard MDM server listening on {}:{}",
                config.server().host(), server.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            context.close();
            stopped.countDown();
        }, "orchard-shutdown"));
        stopped.await();
    }

    static void printBanner(PrintStream out, ServerConfig config, Path configFile, int port) {
        out.println("Orchard MDM server");
        out.println("  data directory: " + config.dataDir());
        out.println("  database:       " + config.databaseUrlRedacted());
        out.println("  listening on:   " + config.server().host() + ":" + port
                + (config.server().tls().isPresent() ? " (TLS)" : ""));
        out.println("  public URL:     " + config.server().publicBase());
        out.println("  create an API token with:");
        out.println("    java -jar mdm-cli/target/mdm-cli.jar tokens create --name admin --all-permissions"
                + (configFile == null ? "" : " --config " + configFile));
        out.flush();
    }

    private static void usage(String message) {
        System.err.println("orchard: " + message);
        System.err.println("usage: java -jar mdm-server.jar [--config FILE]");
        System.exit(2);
    }
}
