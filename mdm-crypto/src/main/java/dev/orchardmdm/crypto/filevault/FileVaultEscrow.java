package dev.orchardmdm.crypto.filevault;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.cms.EnvelopedMessages;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * FileVault personal recovery key (PRK) escrow: the per-device escrow identity whose certificate
 * goes into the {@code com.apple.security.FDERecoveryKeyEscrow} / {@code com.apple.security.pkcs1}
 * payloads (or into {@code RotateFileVaultKey.ReplyEncryptionCertificate}), and the decryption of
 * {@code SecurityInfo.FDE_PersonalRecoveryKeyCMS} and {@code RotateResult.EncryptedNewRecoveryKey}.
 */
public final class FileVaultEscrow {
    /** Largest accepted encrypted recovery key message. */
    public static final int MAX_MESSAGE = 64 * 1024;
    private static final int MAX_KEY_LENGTH = 256;

    private FileVaultEscrow() {
    }

    /**
     * A new RSA-2048 escrow key and self-signed certificate, valid {@code validity}
     * (Zentral uses 20 years for the per-device escrow certificate).
     *
     * @param label a non-secret label for the subject CN, e.g. the device serial number
     */
    public static KeyAndChain newEscrowIdentity(String label, Duration validity) {
        KeyPair kp = KeyPairs.rsa(2048);
        X509Certificate cert = new CertificateBuilder(new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "FileVault recovery key escrow " + label).build(), kp.getPublic())
                .validFor(validity)
                .keyUsage(KeyUsage.keyEncipherment | KeyUsage.dataEncipherment)
                .selfSigned(kp.getPrivate());
        return KeyAndChain.of(kp.getPrivate(), cert);
    }

    /**
     * Decrypts a recovery key CMS EnvelopedData (DER or BER) with the escrow identity.
     *
     * @return the recovery key text, e.g. {@code ABCD-EFGH-IJKL-MNOP-QRST-UVWX}
     * @throws dev.orchardmdm.crypto.DecryptionException if it was encrypted for another certificate
     * @throws MalformedDataException                     if it is not EnvelopedData or holds no printable key
     */
    public static String decryptRecoveryKey(byte[] cms, KeyAndChain escrow) throws CryptoException {
        byte[] plain = EnvelopedMessages.decrypt(cms, escrow, MAX_MESSAGE);
        String key = new String(plain, StandardCharsets.UTF_8).strip();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new MalformedDataException("the decrypted recovery key is empty or too long");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new MalformedDataException("the decrypted recovery key is not printable ASCII");
            }
        }
        return key;
    }
}
