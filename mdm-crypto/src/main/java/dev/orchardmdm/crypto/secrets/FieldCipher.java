package dev.orchardmdm.crypto.secrets;

import dev.orchardmdm.crypto.CryptoException;

/**
 * Encrypts values stored in database columns (push keys, tokens, escrowed passwords and keys).
 * mdm-store takes an implementation in its constructor; mdm-crypto's {@code SecretBox}
 * (AES-256-GCM, key-id prefix, key rotation) is the production one.
 */
public interface FieldCipher {

    /** Encrypts {@code plaintext} bound to {@code context}. */
    byte[] seal(byte[] plaintext, FieldContext context);

    /**
     * Decrypts a value produced by {@link #seal}.
     *
     * @throws CryptoException if the value was tampered with, belongs to another context, or was
     *                         made with a key that is not configured
     */
    byte[] open(byte[] sealed, FieldContext context) throws CryptoException;
}
