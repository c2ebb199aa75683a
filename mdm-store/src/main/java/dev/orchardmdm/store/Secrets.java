package dev.orchardmdm.store;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.secrets.FieldCipher;
import dev.orchardmdm.crypto.secrets.FieldContext;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Seals and opens encrypted columns through a {@link FieldCipher}, with the table, column and row
 * key as associated data. {@code null} stays {@code null}.
 */
public final class Secrets {
    private final FieldCipher cipher;

    public Secrets(FieldCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /** Encrypts {@code plaintext} for {@code table.column} of the row {@code rowKey}. */
    public byte[] seal(String table, String column, String rowKey, byte[] plaintext) {
        return plaintext == null ? null : cipher.seal(plaintext, new FieldContext(table, column, rowKey));
    }

    /** Encrypts a UTF-8 string. */
    public byte[] sealString(String table, String column, String rowKey, String plaintext) {
        return plaintext == null ? null : seal(table, column, rowKey, plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /** Decrypts a value sealed by {@link #seal}. */
    public byte[] open(String table, String column, String rowKey, byte[] sealed) throws SecretUnavailableException {
        if (sealed == null) {
            return null;
        }
        try {
            return cipher.open(sealed, new FieldContext(table, column, rowKey));
        } catch (CryptoException e) {
            throw new SecretUnavailableException("cannot decrypt " + table + "." + column + " of row " + rowKey, e);
        }
    }

    /** Decrypts a UTF-8 string sealed by {@link #sealString}. */
    public String openString(String table, String column, String rowKey, byte[] sealed) throws SecretUnavailableException {
        byte[] plain = open(table, column, rowKey, sealed);
        return plain == null ? null : new String(plain, StandardCharsets.UTF_8);
    }
}
