package dev.orchardmdm.store.testing;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.secrets.FieldCipher;
import dev.orchardmdm.crypto.secrets.FieldContext;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A small AES-256-GCM {@link FieldCipher} for tests (random key per instance, 12-byte nonce
 * prefix, the context as associated data). Production code uses mdm-crypto's SecretBox.
 */
public final class TestFieldCipher implements FieldCipher {
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public TestFieldCipher() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            this.key = generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] seal(byte[] plaintext, FieldContext context) {
        try {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.associatedData());
            byte[] body = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(12 + body.length).put(nonce).put(body).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] open(byte[] sealed, FieldContext context) throws CryptoException {
        if (sealed.length < 12 + 16) {
            throw new CryptoException("sealed value too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
            cipher.updateAAD(context.associatedData());
            return cipher.doFinal(sealed, 12, sealed.length - 12);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot open sealed value", e);
        }
    }
}
