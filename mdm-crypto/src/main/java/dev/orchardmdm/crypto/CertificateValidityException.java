package dev.orchardmdm.crypto;

/** A certificate (or one of its issuers) that is expired or not yet valid at the checked time. */
public class CertificateValidityException extends UntrustedCertificateException {
    private static final long serialVersionUID = 1L;

    public CertificateValidityException(String message) {
        super(message);
    }
}
