package dev.orchardmdm.crypto.keys;

import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** PKCS#12 ({@code .p12}, {@code .pfx}) files holding one private key and its certificate chain. */
public final class Pkcs12 {
    private Pkcs12() {
    }

    /**
     * Reads the first key entry of a PKCS#12 file.
     *
     * @throws DecryptionException    if the password is wrong
     * @throws MalformedDataException if it is not PKCS#12 or holds no key
     */
    public static KeyAndChain read(byte[] p12, char[] password)
            throws MalformedDataException, DecryptionException, OversizedInputException {
        Limits.check("PKCS#12 input", p12.length, Limits.MAX_ENCODED);
        KeyStore ks;
        try {
            ks = KeyStore.getInstance("PKCS12");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        try {
            ks.load(new ByteArrayInputStream(p12), password);
        } catch (IOException e) {
            if (e.getCause() instanceof javax.crypto.BadPaddingException
                    || e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")) {
                throw new DecryptionException("cannot open the PKCS#12 file (wrong password?)", e);
            }
            throw new MalformedDataException("not a PKCS#12 file", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MalformedDataException("not a PKCS#12 file", e);
        }
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                Key key = ks.getKey(alias, password);
                if (!(key instanceof PrivateKey pk)) {
                    continue;
                }
                Certificate[] chain = ks.getCertificateChain(alias);
                if (chain == null || chain.length == 0) {
                    throw new MalformedDataException("the PKCS#12 key has no certificate");
                }
                List<X509Certificate> certs = new ArrayList<>();
                for (Certificate c : chain) {
                    certs.add((X509Certificate) c);
                }
                return new KeyAndChain(pk, certs);
            }
        } catch (java.security.UnrecoverableKeyException e) {
            throw new DecryptionException("cannot decrypt the PKCS#12 key (wrong password?)", e);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new MalformedDataException("unreadable PKCS#12 key entry", e);
        }
        throw new MalformedDataException("no private key in the PKCS#12 file");
    }

    /** Writes a key and its chain as PKCS#12 (PBES2/AES-256 and HMAC-SHA256, the JDK's defaults). */
    public static byte[] write(KeyAndChain keyAndChain, String alias, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, keyAndChain.privateKey(), password,
                    keyAndChain.chain().toArray(new Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write PKCS#12", e);
        }
    }
}
