package dev.orchardmdm.apns;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Maps APNs answers and transport failures to {@link PushOutcome}s. Stateless. */
final class PushOutcomes {

    /** APNs' error body: {@code {"reason":"Unregistered","timestamp":1700000000000}}; reasons are identifiers. */
    private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"([A-Za-z0-9_]{1,64})\"");
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\"\\s*:\\s*(\\d{1,15})");

    /** 400 reasons that condemn the certificate (its topic) rather than the request or the token. */
    private static final Set<String> CERTIFICATE_REASONS = Set.of("BadTopic", "MissingTopic", "TopicDisallowed",
            "BadCertificate", "BadCertificateEnvironment", "Forbidden");
    /** Reasons that condemn the token. */
    private static final Set<String> TOKEN_REASONS = Set.of("BadDeviceToken", "DeviceTokenNotForTopic",
            "Unregistered", "ExpiredToken");
    /** TLS alerts a server sends when it refuses the client certificate. */
    private static final Set<String> CERTIFICATE_ALERTS = Set.of("bad_certificate", "certificate_required",
            "certificate_unknown", "certificate_expired", "certificate_revoked", "unsupported_certificate",
            "unknown_ca", "access_denied");

    private PushOutcomes() {
    }

    /**
     * Classifies a non-200 answer. A {@link PushOutcome.Retryable} result means "transient": the caller retries
     * it while attempts remain.
     */
    static PushOutcome classify(int status, String body, int attempts) {
        String reason = reason(body).orElse("HTTP " + status);
        if (status == 410 || TOKEN_REASONS.contains(reason)) {
            return new PushOutcome.TokenDead(status, reason, status == 410 ? timestamp(body) : null);
        }
        if (status == 403 || CERTIFICATE_REASONS.contains(reason)) {
            return new PushOutcome.CertificateRejected(status, reason);
        }
        if (status == 429 || status >= 500 || status == 408) {
            return new PushOutcome.Retryable(status, reason, attempts);
        }
        return new PushOutcome.Rejected(status, reason);
    }

    /** Classifies a failure with no HTTP answer: a TLS refusal of the certificate, or a transient failure. */
    static PushOutcome classify(IOException failure, int attempts) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException && t.getMessage() != null) {
                String message = t.getMessage().toLowerCase(Locale.ROOT);
                for (String alert : CERTIFICATE_ALERTS) {
                    if (message.contains(alert)) {
                        return new PushOutcome.CertificateRejected(0, "TLS alert " + alert);
                    }
                }
            }
        }
        String description = failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return new PushOutcome.Retryable(0, description, attempts);
    }

    static java.util.Optional<String> reason(String body) {
        Matcher m = REASON.matcher(body);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** APNs' 410 timestamp: milliseconds since the epoch. */
    static Instant timestamp(String body) {
        Matcher m = TIMESTAMP.matcher(body);
        return m.find() ? Instant.ofEpochMilli(Long.parseLong(m.group(1))) : null;
    }

    /** A token shortened for logs. */
    static String abbreviate(String token) {
        return token.length() <= 8 ? token : token.substring(0, 8) + "…";
    }
}
