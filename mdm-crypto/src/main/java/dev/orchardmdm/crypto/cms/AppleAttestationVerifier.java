package dev.orchardmdm.crypto.cms;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.UntrustedCertificateException;
import dev.orchardmdm.crypto.keys.ChainVerifier;
import dev.orchardmdm.crypto.push.AppleCertificates;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Verifies enrollment data signed by an Apple device: the CMS SignedData of MachineInfo (ADE
 * {@code dep_enroll} body, {@code x-apple-aspen-deviceinfo} header) and of OTA device attributes.
 *
 * <p>The only trust anchor is the <em>issuing</em> device CA (Apple iPhone Device CA): the signer
 * must be an end-entity certificate issued directly by it (issuer name and signature), and valid
 * now (with {@link #CLOCK_SKEW}). Apple Root CA is not an anchor, so certificates of other Apple
 * CAs under the same root (developer, push, Wallet ...) are refused. The device CA itself and its
 * parents are not time-checked: they expired (2014, 2022) and Apple still issues device
 * certificates under them.
 */
public final class AppleAttestationVerifier {
    /** Largest accepted signed message. */
    public static final int MAX_MESSAGE = 256 * 1024;
    /** Tolerance on both ends of the signer's validity period. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private final X509Certificate deviceCa;
    private final Clock clock;

    /**
     * A verifier trusting the first certificate of {@code deviceCaChain} as the issuer of device
     * certificates (a test PKI shaped like Apple's, or Apple's own), checking validity on the system clock.
     *
     * @param deviceCaChain the issuing device CA first, then its intermediates and root (only the first is trusted)
     */
    public AppleAttestationVerifier(List<X509Certificate> deviceCaChain) {
        this(deviceCaChain, Clock.systemUTC());
    }

    /** As {@link #AppleAttestationVerifier(List)}, checking the signer's validity on {@code clock}. */
    public AppleAttestationVerifier(List<X509Certificate> deviceCaChain, Clock clock) {
        if (deviceCaChain.isEmpty()) {
            throw new IllegalArgumentException("the device CA is needed");
        }
        this.deviceCa = deviceCaChain.get(0);
        if (deviceCa.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("the first certificate of the chain must be the issuing device CA");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A verifier trusting the bundled Apple iPhone Device CA. */
    public static AppleAttestationVerifier withBundledAppleChain() {
        return new AppleAttestationVerifier(AppleCertificates.iPhoneDeviceCaChain());
    }

    /**
     * The verified content.
     *
     * @param plist  the signed bytes (an XML plist for MachineInfo)
     * @param signer the device certificate that signed it
     */
    public record Attestation(byte[] plist, X509Certificate signer) {
    }

    /**
     * Verifies an attached SignedData and returns its content.
     *
     * @throws dev.orchardmdm.crypto.MalformedDataException         if it is not an attached SignedData
     * @throws dev.orchardmdm.crypto.SignatureVerificationException if the signature is wrong
     * @throws UntrustedCertificateException                        if the signer is not a device certificate of the device CA
     * @throws dev.orchardmdm.crypto.CertificateValidityException   if the signer is expired or not yet valid
     */
    public Attestation verify(byte[] signedData) throws CryptoException {
        SignedMessages.Verified v = SignedMessages.verify(signedData, null, MAX_MESSAGE);
        X509Certificate signer = v.signer();
        if (signer.getBasicConstraints() >= 0) {
            throw new UntrustedCertificateException("the attestation signer is a CA, not a device");
        }
        if (!signer.getIssuerX500Principal().equals(deviceCa.getSubjectX500Principal())) {
            throw new UntrustedCertificateException("the attestation signer was not issued by "
                    + deviceCa.getSubjectX500Principal().getName());
        }
        try {
            signer.verify(deviceCa.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new UntrustedCertificateException("the attestation signer's certificate is not signed by "
                    + deviceCa.getSubjectX500Principal().getName());
        }
        ChainVerifier.checkValidity(signer, clock.instant(), CLOCK_SKEW);
        return new Attestation(v.content(), signer);
    }
}
