package dev.orchardmdm.server.config;

/**
 * The configuration is invalid. The message names the offending key (dotted path, e.g.
 * {@code server.listen}) so that an admin can fix the file.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String key;

    /** @param key the dotted path of the offending key, or {@code ""} for the whole file */
    public ConfigException(String key, String reason) {
        super(key.isEmpty() ? reason : "configuration key '" + key + "': " + reason);
        this.key = key;
    }

    public ConfigException(String key, String reason, Throwable cause) {
        this(key, reason);
        initCause(cause);
    }

    /** The dotted path of the offending key ({@code ""} when the problem is the file itself). */
    public String key() {
        return key;
    }
}
