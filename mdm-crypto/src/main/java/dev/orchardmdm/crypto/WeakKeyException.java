package dev.orchardmdm.crypto;

/** A key of a type or size that is not accepted (RSA below 2048 bits, an EC curve other than P-256/P-384, DSA, ...). */
public class WeakKeyException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public WeakKeyException(String message) {
        super(message);
    }
}
