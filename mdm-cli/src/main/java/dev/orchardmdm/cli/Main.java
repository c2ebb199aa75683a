package dev.orchardmdm.cli;

/** Entry point of {@code java -jar mdm-cli.jar}. */
public final class Main {
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private Main() {
    }

    public static void main(String[] args) {
        // The libraries (connection pool, migrations) log at INFO; a command's output is its result.
        // -Dorg.slf4j.simpleLogger.defaultLogLevel=info (JAVA_OPTS) shows their messages again.
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "warn");
        }
        System.exit(Mdm.run(Terminal.system(), args));
    }
}
