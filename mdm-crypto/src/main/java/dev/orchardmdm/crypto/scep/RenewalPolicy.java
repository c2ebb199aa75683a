package dev.orchardmdm.crypto.scep;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which certificates a RenewalReq may renew, and when. Whatever the policy, a renewal is signed by
 * a currently valid end-entity certificate of this CA, keeps that certificate's subject (a CSR
 * asking for another subject is refused), and is granted once per certificate.
 *
 * @param window  how long before its expiry a certificate may be renewed (earlier: refused)
 * @param current whether a certificate is still the current one of its holder (not superseded,
 *                revoked, or of an enrollment that is gone)
 */
public record RenewalPolicy(Duration window, Predicate<X509Certificate> current) {
    /** The window used when none is configured: 90 days, as Apple MDM servers renew identities. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(90);

    public RenewalPolicy {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(current, "current");
        if (window.isNegative()) {
            throw new IllegalArgumentException("negative renewal window");
        }
    }

    /** Renewal of any valid certificate of this CA within {@code window} of its expiry. */
    public static RenewalPolicy within(Duration window) {
        return new RenewalPolicy(window, c -> true);
    }

    /** No renewal at all (RenewalReq is refused). */
    public static RenewalPolicy disabled() {
        return new RenewalPolicy(Duration.ZERO, c -> false);
    }
}
