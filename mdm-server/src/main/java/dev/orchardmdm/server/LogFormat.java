package dev.orchardmdm.server;

/**
 * Chooses the log output before the first logger is made: {@code text} is slf4j-simple (one line per
 * message, configured by {@code simplelogger.properties}); {@code json} is Logback with its
 * {@code JsonEncoder} (one JSON object per line, {@code orchard-logback-json.xml}). Both bindings are
 * on the class path; SLF4J's {@code slf4j.provider} property picks one. A {@code slf4j.provider} or
 * {@code logback.configurationFile} given on the java command line wins.
 */
final class LogFormat {
    static final String SIMPLE = "org.slf4j.simple.SimpleServiceProvider";
    static final String LOGBACK = "ch.qos.logback.classic.spi.LogbackServiceProvider";

    private LogFormat() {
    }

    /** Applies {@code format} ({@code text} or {@code json}, from {@code log.format} / {@code ORCHARD_LOG_FORMAT}). */
    static void apply(String format) {
        if (System.getProperty("slf4j.provider") != null) {
            return;
        }
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            // SLF4J reports an explicitly chosen provider on standard error at INFO: keep the log pure
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        if ("json".equals(format)) {
            System.setProperty("slf4j.provider", LOGBACK);
            if (System.getProperty("logback.configurationFile") == null) {
                System.setProperty("logback.configurationFile", "orchard-logback-json.xml");
            }
        } else {
            System.setProperty("slf4j.provider", SIMPLE);
        }
    }
}
