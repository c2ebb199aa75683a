package dev.orchardmdm.crypto;

/** A private key that does not belong to the certificate it was given with. */
public class KeyMismatchException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public KeyMismatchException(String message) {
        super(message);
    }
}
