package dev.orchardmdm.crypto.identity;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.InvalidDistinguishedNameException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.UntrustedCertificateException;
import dev.orchardmdm.crypto.cms.SignedMessages;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.ChainVerifier;
import dev.orchardmdm.crypto.keys.NameAttribute;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates a device request, in either of the two modes of Apple MDM:
 * <ul>
 *   <li>signed-message mode: {@link #fromMdmSignature} verifies the {@code Mdm-Signature} header,
 *       a base64 detached CMS SignedData over the request body (BER or DER, SHA-1/256/512, RSA or
 *       ECDSA, with or without signed attributes);</li>
 *   <li>mTLS-proxy mode: {@link #fromProxyHeaders} reads {@code X-SSL-Client-Cert} (URL-escaped PEM,
 *       as nginx's {@code $ssl_client_escaped_cert}) and cross-checks {@code X-SSL-Client-S-DN}.</li>
 * </ul>
 * In both modes the certificate must chain to the configured SCEP CA chain and be valid now
 * (within the clock skew); the result is an {@link Identity}. Thread-safe.
 *
 * <p>The signature over the body is verified on every request. What is remembered, for up to
 * {@link #DEFAULT_CACHE_SIZE} certificates, is the outcome of the chain check of a certificate that
 * chains directly to trusted certificates (no untrusted intermediate from the message): the same
 * DER bytes always give the same path, so a later request with that certificate skips the chain's
 * signature check and the subject parsing, and only the validity of the remembered path is checked
 * against the clock, as the full check would. A certificate that needed a message-supplied
 * intermediate is never remembered (a later message without it must be refused).
 */
public final class DeviceIdentityVerifier {
    /** Largest accepted {@code Mdm-Signature} header (base64 text). */
    public static final int MAX_SIGNATURE_HEADER = 64 * 1024;
    /** Largest accepted {@code X-SSL-Client-Cert} header. */
    public static final int MAX_CERT_HEADER = 32 * 1024;

    /** Certificates whose chain check is remembered, by default. */
    public static final int DEFAULT_CACHE_SIZE = 4096;

    private final ChainVerifier chain;
    private final Duration clockSkew;
    private final Clock clock;
    private final int cacheSize;
    /** Verified certificates by SHA-256 fingerprint; bounded by {@link #cacheSize}. */
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    /** A certificate whose chain (to trusted certificates only) was verified. */
    private record Verified(byte[] der, Identity identity, List<X509Certificate> path) {
    }

    /**
     * @param scepCaChain the SCEP CA full chain (every certificate of it is trusted)
     * @param clockSkew   tolerance on certificate validity (e.g. 5 minutes)
     * @param clock       the clock (tests pass a fixed one)
     */
    public DeviceIdentityVerifier(List<X509Certificate> scepCaChain, Duration clockSkew, Clock clock) {
        this(scepCaChain, clockSkew, clock, DEFAULT_CACHE_SIZE);
    }

    /**
     * @param cacheSize how many verified certificates to remember (0: none)
     */
    public DeviceIdentityVerifier(List<X509Certificate> scepCaChain, Duration clockSkew, Clock clock,
                                  int cacheSize) {
        this.chain = new ChainVerifier(scepCaChain);
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clock skew must not be negative");
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cache size must not be negative");
        }
        this.cacheSize = cacheSize;
    }

    /** A verifier with a 5-minute skew and the system clock. */
    public DeviceIdentityVerifier(List<X509Certificate> scepCaChain) {
        this(scepCaChain, Duration.ofMinutes(5), Clock.systemUTC());
    }

    /**
     * Verifies an {@code Mdm-Signature} header over the request body.
     *
     * @throws dev.orchardmdm.crypto.SignatureVerificationException if the signature is not over this body
     * @throws UntrustedCertificateException                        if the signer does not chain to the SCEP CA
     * @throws dev.orchardmdm.crypto.CertificateValidityException   if the signer certificate is expired
     * @throws MalformedDataException                               if the header is not a CMS SignedData
     */
    public Identity fromMdmSignature(String header, byte[] body) throws CryptoException {
        if (header == null || header.isBlank()) {
            throw new MalformedDataException("missing Mdm-Signature header");
        }
        if (header.length() > MAX_SIGNATURE_HEADER) {
            throw new OversizedInputException("Mdm-Signature header", header.length(), MAX_SIGNATURE_HEADER);
        }
        byte[] cms;
        try {
            cms = Base64.getMimeDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("Mdm-Signature is not base64", e);
        }
        SignedMessages.Verified verified = SignedMessages.verify(cms, Objects.requireNonNull(body, "body"),
                MAX_SIGNATURE_HEADER);
        return fromCertificate(verified.signer(), verified.certificates());
    }

    /**
     * Reads the identity from mTLS proxy headers.
     *
     * @param escapedCertificate {@code X-SSL-Client-Cert}: URL-escaped PEM (or plain PEM, or base64 DER)
     * @param subjectDn          {@code X-SSL-Client-S-DN} (RFC 2253 or OpenSSL form), or {@code null};
     *                           when present it must name the certificate's subject exactly
     * @throws InvalidDistinguishedNameException if the DN is malformed, repeats an attribute or differs from the certificate
     */
    public Identity fromProxyHeaders(String escapedCertificate, String subjectDn) throws CryptoException {
        X509Certificate certificate = parseProxyCertificate(escapedCertificate);
        if (subjectDn != null && !subjectDn.isBlank()) {
            DistinguishedName header = DistinguishedName.parse(subjectDn);
            if (!header.sameAttributes(DistinguishedName.of(certificate.getSubjectX500Principal()))) {
                throw new InvalidDistinguishedNameException("X-SSL-Client-S-DN does not match the client certificate subject");
            }
        }
        return fromCertificate(certificate, List.of());
    }

    /**
     * Checks a device certificate against the SCEP CA chain and builds its identity.
     *
     * @param intermediates untrusted certificates that may complete the chain
     */
    public Identity fromCertificate(X509Certificate certificate, Collection<X509Certificate> intermediates)
            throws CryptoException {
        String fingerprint = Certificates.sha256Fingerprint(certificate);
        Instant now = clock.instant();
        Verified known = verified.get(fingerprint);
        if (known != null && Arrays.equals(known.der(), Certificates.der(certificate))) {
            for (X509Certificate c : known.path()) {
                ChainVerifier.checkValidity(c, now, clockSkew);
            }
            return known.identity();
        }
        if (certificate.getBasicConstraints() >= 0) {
            throw new UntrustedCertificateException("a CA certificate is not a device identity");
        }
        List<X509Certificate> path = chain.verify(certificate, intermediates, now, clockSkew);
        DistinguishedName subject = DistinguishedName.of(certificate.getSubjectX500Principal());
        String cn = subject.get(NameAttribute.CN);
        if (cn == null || cn.isEmpty()) {
            throw new InvalidDistinguishedNameException("the device certificate subject has no CN");
        }
        Identity identity = new Identity(cn, subject.get(NameAttribute.O), subject.get(NameAttribute.SERIALNUMBER),
                fingerprint, certificate);
        if (cacheSize > 0 && chain.trusted().containsAll(path.subList(1, path.size()))) {
            if (verified.size() >= cacheSize) {
                // bounded: drop some entry (the cache only saves work, any entry may go)
                verified.keySet().stream().findAny().ifPresent(verified::remove);
            }
            verified.put(fingerprint, new Verified(Certificates.der(certificate), identity, path));
        }
        return identity;
    }

    /** Decodes {@code X-SSL-Client-Cert}: percent-escaped PEM, PEM, or base64 DER. */
    static X509Certificate parseProxyCertificate(String header) throws CryptoException {
        if (header == null || header.isBlank()) {
            throw new MalformedDataException("missing X-SSL-Client-Cert header");
        }
        if (header.length() > MAX_CERT_HEADER) {
            throw new OversizedInputException("X-SSL-Client-Cert header", header.length(), MAX_CERT_HEADER);
        }
        String text = percentDecode(header.trim()).replace("\t", "");
        if (text.contains("-----BEGIN")) {
            return Certificates.parse(text.getBytes(StandardCharsets.US_ASCII));
        }
        try {
            return Certificates.parseDer(Base64.getMimeDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("X-SSL-Client-Cert is neither PEM nor base64 DER", e);
        }
    }

    /** RFC 3986 percent-decoding; unlike form decoding, {@code +} stays {@code +} (it is base64). */
    static String percentDecode(String s) throws MalformedDataException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new MalformedDataException("truncated percent-escape in X-SSL-Client-Cert");
                }
                try {
                    out.write(java.util.HexFormat.fromHexDigits(s, i + 1, i + 3));
                } catch (IllegalArgumentException e) {
                    throw new MalformedDataException("invalid percent-escape in X-SSL-Client-Cert", e);
                }
                i += 2;
            } else if (c > 0x7e) {
                throw new MalformedDataException("non-ASCII character in X-SSL-Client-Cert");
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
