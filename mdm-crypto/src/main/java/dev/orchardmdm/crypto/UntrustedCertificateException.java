package dev.orchardmdm.crypto;

/** A certificate that does not chain to the configured trust anchors. */
public class UntrustedCertificateException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public UntrustedCertificateException(String message) {
        super(message);
    }
}
