package dev.orchardmdm.crypto.cms;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.ChainVerifier;
import dev.orchardmdm.crypto.push.AppleCertificates;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Verifies enrollment data signed by an Apple device: the CMS SignedData of MachineInfo (ADE
 * {@code dep_enroll} body, {@code x-apple-aspen-deviceinfo} header) and of OTA device attributes.
 * The signer must chain to the Apple iPhone Device CA chain; that chain is checked <em>without</em>
 * the time check, because its intermediates have expired and devices still use them.
 */
public final class AppleAttestationVerifier {
    /** Largest accepted signed message. */
    public static final int MAX_MESSAGE = 256 * 1024;
    private final ChainVerifier chain;

    /**
     * A verifier trusting these certificates (a test PKI shaped like Apple's, or Apple's own).
     *
     * @param trusted the trusted chain: the issuing CA, its intermediates and root
     */
    public AppleAttestationVerifier(List<X509Certificate> trusted) {
        this.chain = new ChainVerifier(trusted);
    }

    /** A verifier trusting the bundled Apple iPhone Device CA chain. */
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
     * @throws dev.orchardmdm.crypto.UntrustedCertificateException  if the signer is not Apple's
     */
    public Attestation verify(byte[] signedData) throws CryptoException {
        SignedMessages.Verified v = SignedMessages.verify(signedData, null, MAX_MESSAGE);
        chain.verify(v.signer(), v.certificates(), ChainVerifier.ValidityCheck.NONE);
        return new Attestation(v.content(), v.signer());
    }
}
