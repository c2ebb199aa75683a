package dev.orchardmdm.crypto;

/** Encrypted data that cannot be decrypted: wrong key, no matching recipient, or tampered ciphertext. */
public class DecryptionException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public DecryptionException(String message) {
        super(message);
    }

    public DecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
