package dev.orchardmdm.crypto.keys;

import dev.orchardmdm.crypto.CertificateValidityException;
import dev.orchardmdm.crypto.UntrustedCertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Checks that a certificate chains to a configured set of trusted certificates (for example the
 * SCEP CA full chain: every certificate in it is trusted as an anchor). Each link is checked for
 * issuer name, signature, CA basic constraints and keyCertSign usage; validity is checked at a
 * given instant with a clock skew, or not at all (Apple's iPhone Device CA chain has expired
 * intermediates that devices still use).
 */
public final class ChainVerifier {
    private static final int MAX_DEPTH = 8;
    private final List<X509Certificate> trusted;

    /** Trusts every certificate of {@code trusted} (non-empty). */
    public ChainVerifier(List<X509Certificate> trusted) {
        this.trusted = List.copyOf(trusted);
        if (this.trusted.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted certificate is needed");
        }
    }

    /**
     * Whether and when certificate validity periods are checked: {@link #at} an instant with a skew, or
     * {@link #NONE} (the Apple iPhone Device CA chain, whose intermediates expired and are still used).
     */
    public sealed interface ValidityCheck {
        /** No time check: only names, signatures, CA constraints and key usage. */
        ValidityCheck NONE = new None();

        /** Validity checked at {@code instant}, tolerating {@code skew} on both ends of each period. */
        static ValidityCheck at(Instant instant, Duration skew) {
            return new At(instant, skew);
        }

        /** The check at an instant. */
        record At(Instant instant, Duration skew) implements ValidityCheck {
            public At {
                Objects.requireNonNull(instant, "instant");
                Objects.requireNonNull(skew, "skew");
            }
        }

        /** No check; see {@link #NONE}. */
        record None() implements ValidityCheck {
        }
    }

    /** The trusted certificates. */
    public List<X509Certificate> trusted() {
        return trusted;
    }

    /**
     * Verifies the chain of {@code leaf}.
     *
     * @param intermediates untrusted certificates that may complete the path (e.g. from a CMS message)
     * @param at            the time of the validity check (never null: {@link ValidityCheck#NONE} skips it)
     * @param skew          tolerance applied to both ends of each validity period
     * @return the path, leaf first, ending with a trusted certificate
     * @throws CertificateValidityException  if a certificate of the path is expired or not yet valid
     * @throws UntrustedCertificateException if no path to a trusted certificate exists
     */
    public List<X509Certificate> verify(X509Certificate leaf, Collection<X509Certificate> intermediates,
                                        Instant at, Duration skew) throws UntrustedCertificateException {
        return verify(leaf, intermediates, ValidityCheck.at(at, skew));
    }

    /**
     * Verifies the chain of {@code leaf}, checking validity as {@code validity} says.
     *
     * @param intermediates untrusted certificates that may complete the path (e.g. from a CMS message)
     * @return the path, leaf first, ending with a trusted certificate
     * @throws CertificateValidityException  if a certificate of the path is expired or not yet valid
     * @throws UntrustedCertificateException if no path to a trusted certificate exists
     */
    public List<X509Certificate> verify(X509Certificate leaf, Collection<X509Certificate> intermediates,
                                        ValidityCheck validity) throws UntrustedCertificateException {
        Objects.requireNonNull(leaf, "leaf");
        Objects.requireNonNull(validity, "validity: ValidityCheck.NONE skips the time check");
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        X509Certificate current = leaf;
        while (!isTrusted(current)) {
            if (path.size() > MAX_DEPTH) {
                throw new UntrustedCertificateException("certificate chain longer than " + MAX_DEPTH);
            }
            X509Certificate issuer = findIssuer(current, trusted);
            if (issuer == null) {
                issuer = findIssuer(current, intermediates);
            }
            if (issuer == null || path.contains(issuer)) {
                throw new UntrustedCertificateException("certificate " + current.getSubjectX500Principal().getName()
                        + " does not chain to a trusted CA");
            }
            path.add(issuer);
            current = issuer;
        }
        if (validity instanceof ValidityCheck.At at) {
            for (X509Certificate c : path) {
                checkValidity(c, at.instant(), at.skew());
            }
        }
        return List.copyOf(path);
    }

    /** Throws if {@code certificate} is not valid at {@code at}, tolerating {@code skew} on both ends. */
    public static void checkValidity(X509Certificate certificate, Instant at, Duration skew)
            throws CertificateValidityException {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (at.plus(skew).isBefore(notBefore)) {
            throw new CertificateValidityException("certificate " + certificate.getSubjectX500Principal().getName()
                    + " is not valid before " + notBefore);
        }
        if (at.minus(skew).isAfter(notAfter)) {
            throw new CertificateValidityException("certificate " + certificate.getSubjectX500Principal().getName()
                    + " expired at " + notAfter);
        }
    }

    private boolean isTrusted(X509Certificate c) {
        byte[] der = Certificates.der(c);
        for (X509Certificate t : trusted) {
            if (Arrays.equals(der, Certificates.der(t))) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate findIssuer(X509Certificate child, Collection<X509Certificate> candidates) {
        if (candidates == null) {
            return null;
        }
        for (X509Certificate candidate : candidates) {
            if (!candidate.getSubjectX500Principal().equals(child.getIssuerX500Principal())) {
                continue;
            }
            if (!isCa(candidate)) {
                continue;
            }
            try {
                child.verify(candidate.getPublicKey());
                return candidate;
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                // not this one: keep looking
            }
        }
        return null;
    }

    private static boolean isCa(X509Certificate c) {
        boolean[] usage = c.getKeyUsage();
        if (usage != null && (usage.length <= 5 || !usage[5])) {
            return false;
        }
        return c.getBasicConstraints() >= 0;
    }
}
