package dev.orchardmdm.apns;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one MDM notification, after the client's retries. Every answer of APNs maps to exactly one of
 * these; the caller switches over them:
 * <ul>
 *   <li>{@link Accepted}: APNs took it ({@code 200}, with its {@code apns-id});</li>
 *   <li>{@link TokenDead}: stop pushing this token ({@code BadDeviceToken}, {@code DeviceTokenNotForTopic},
 *       {@code 410 Unregistered} with the time APNs learned the token was no longer valid);</li>
 *   <li>{@link Retryable}: a transient failure ({@code TooManyRequests}, 5xx, time-outs, broken connections)
 *       outlived the client's bounded retries; push again later;</li>
 *   <li>{@link CertificateRejected}: the push certificate is refused ({@code 403 BadCertificate},
 *       {@code BadCertificateEnvironment}, {@code Forbidden}, topic errors, a TLS alert about the certificate).
 *       Fatal for that certificate: the client sends nothing more with it;</li>
 *   <li>{@link Rejected}: APNs (or the client beforehand) refused this request as malformed; resending it
 *       unchanged cannot succeed.</li>
 * </ul>
 * {@code status} is the HTTP status of APNs' answer, or 0 when no answer came (transport failure) or the client
 * refused to send.
 */
public sealed interface PushOutcome {

    /** Whether APNs accepted the notification. */
    default boolean accepted() {
        return this instanceof Accepted;
    }

    /**
     * APNs accepted the notification.
     *
     * @param apnsId the {@code apns-id} APNs answered with
     */
    record Accepted(String apnsId) implements PushOutcome {
        /** The id is required. */
        public Accepted {
            Objects.requireNonNull(apnsId, "apnsId");
        }
    }

    /**
     * The token will never accept a push again (with this certificate); the caller should forget it.
     *
     * @param status         HTTP status (400 or 410), 0 when the client refused a malformed token itself
     * @param reason         APNs' reason, e.g. {@code Unregistered}, {@code BadDeviceToken}
     * @param unregisteredAt for a 410, the last time APNs confirmed the token was no longer valid; may be null
     */
    record TokenDead(int status, String reason, Instant unregisteredAt) implements PushOutcome {
        /** The reason is required. */
        public TokenDead {
            Objects.requireNonNull(reason, "reason");
        }

        /** {@link #unregisteredAt()} as an Optional. */
        public Optional<Instant> unregisteredTimestamp() {
            return Optional.ofNullable(unregisteredAt);
        }
    }

    /**
     * A transient failure outlived the bounded retries.
     *
     * @param status   the last HTTP status (429, 5xx), or 0 for a transport failure
     * @param reason   APNs' reason, or a description of the transport failure
     * @param attempts how many requests were made
     */
    record Retryable(int status, String reason, int attempts) implements PushOutcome {
        /** The reason is required. */
        public Retryable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The push certificate is not accepted: fatal for every push made with it.
     *
     * @param status HTTP status (403, or 400 for topic errors), 0 for a TLS-level refusal
     * @param reason APNs' reason, or the TLS alert
     */
    record CertificateRejected(int status, String reason) implements PushOutcome {
        /** The reason is required. */
        public CertificateRejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The request itself was refused as malformed (e.g. {@code PayloadTooLarge}, {@code BadExpirationDate}).
     *
     * @param status HTTP status, 0 when the client refused to send it
     * @param reason APNs' reason, or the client's
     */
    record Rejected(int status, String reason) implements PushOutcome {
        /** The reason is required. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
