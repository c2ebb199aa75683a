package dev.orchardmdm.apns;

/**
 * The two APNs environments. MDM push certificates from Apple's Push Certificates Portal are production
 * certificates; the sandbox exists for development-signed apps and is selectable for completeness.
 */
public enum ApnsEnvironment {
    /** {@code https://api.push.apple.com}, the default. */
    PRODUCTION("https://api.push.apple.com"),
    /** {@code https://api.sandbox.push.apple.com}. */
    SANDBOX("https://api.sandbox.push.apple.com");

    private final String baseUrl;

    ApnsEnvironment(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The base URL of this environment, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }
}
