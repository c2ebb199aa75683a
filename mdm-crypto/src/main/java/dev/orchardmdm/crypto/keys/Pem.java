package dev.orchardmdm.crypto.keys;

import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM (and DER) encoding of certificates and private keys. Private keys are read from PKCS#1
 * ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}, optionally encrypted with OpenSSL's
 * {@code Proc-Type} header) or PKCS#8 ({@code PRIVATE KEY}, {@code ENCRYPTED PRIVATE KEY}); they
 * are returned as JDK key objects usable with any provider.
 */
public final class Pem {
    private Pem() {
    }

    /** One PEM block: its type (e.g. {@code CERTIFICATE}) and decoded bytes. */
    public record Block(String type, byte[] der) {
    }

    /** All PEM blocks of a text, in order; text outside the blocks is ignored. */
    public static List<Block> blocks(String text) throws MalformedDataException, OversizedInputException {
        Limits.check("PEM input", text.length(), Limits.MAX_ENCODED);
        List<Block> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (int i = 0; i < 1000; i++) {
                PemObject object = parser.readPemObject();
                if (object == null) {
                    return out;
                }
                out.add(new Block(object.getType(), object.getContent()));
            }
            throw new MalformedDataException("more than 1000 PEM blocks");
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException("malformed PEM: " + e.getMessage(), e);
        }
    }

    /** PEM of one certificate. */
    public static String certificate(X509Certificate certificate) {
        return encode("CERTIFICATE", Certificates.der(certificate));
    }

    /** PEM of several certificates, concatenated in order. */
    public static String certificates(List<X509Certificate> certificates) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certificates) {
            sb.append(certificate(c));
        }
        return sb.toString();
    }

    /** PEM of a DER structure with the given block type, 64-character lines, trailing newline. */
    public static String encode(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    /** Unencrypted PKCS#8 PEM ({@code PRIVATE KEY}). */
    public static String privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the private key", e);
        }
    }

    /**
     * Password-encrypted PKCS#8 PEM ({@code ENCRYPTED PRIVATE KEY}): PBES2, PBKDF2-HMAC-SHA256,
     * AES-256-CBC; readable by {@code openssl pkey}.
     */
    public static String encryptedPrivateKey(PrivateKey key, char[] password) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(100_000)
                    .setProvider(Bc.PROVIDER)
                    .setPassword(password)
                    .build();
            return write(new JcaPKCS8Generator(key, encryptor));
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot encrypt the private key", e);
        }
    }

    /** Traditional (PKCS#1 for RSA, SEC1 for EC) unencrypted PEM. */
    public static String traditionalPrivateKey(PrivateKey key) {
        try {
            PrivateKey toWrite = key;
            if (key.getAlgorithm().equals("EC")) {
                // Bouncy Castle's EC key carries the curve inside the SEC1 structure, as OpenSSL writes it.
                toWrite = java.security.KeyFactory.getInstance("EC", Bc.PROVIDER)
                        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
            }
            return write(new JcaMiscPEMGenerator(toWrite));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the private key", e);
        }
    }

    private static String write(org.bouncycastle.util.io.pem.PemObjectGenerator generator) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(sw)) {
            writer.writeObject(generator);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return sw.toString();
    }

    /** Reads an unencrypted private key from PEM or DER. */
    public static PrivateKey readPrivateKey(byte[] pemOrDer) throws MalformedDataException, OversizedInputException {
        try {
            return readPrivateKey(pemOrDer, null);
        } catch (DecryptionException e) {
            throw new MalformedDataException("the private key is encrypted and no password was given", e);
        }
    }

    /**
     * Reads a private key from PEM (PKCS#1, SEC1, PKCS#8, encrypted or not) or DER (PKCS#8,
     * encrypted PKCS#8, PKCS#1 RSA).
     *
     * @param password the password of an encrypted key; may be {@code null} for an unencrypted one
     * @throws DecryptionException    if the key is encrypted and the password is missing or wrong
     * @throws MalformedDataException if the input holds no private key
     */
    public static PrivateKey readPrivateKey(byte[] pemOrDer, char[] password)
            throws MalformedDataException, OversizedInputException, DecryptionException {
        Limits.check("private key input", pemOrDer.length, Limits.MAX_ENCODED);
        Object parsed;
        if (Certificates.isPem(pemOrDer)) {
            parsed = firstKeyObject(new String(pemOrDer, StandardCharsets.US_ASCII));
        } else {
            parsed = derKeyObject(pemOrDer);
        }
        return convert(parsed, password);
    }

    private static Object firstKeyObject(String pem) throws MalformedDataException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (int i = 0; i < 100; i++) {
                Object o = parser.readObject();
                if (o == null) {
                    break;
                }
                if (o instanceof PEMKeyPair || o instanceof PEMEncryptedKeyPair || o instanceof PrivateKeyInfo
                        || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    return o;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException("malformed PEM private key: " + e.getMessage(), e);
        }
        throw new MalformedDataException("no private key in the PEM input");
    }

    private static Object derKeyObject(byte[] der) throws MalformedDataException {
        ASN1Primitive primitive;
        try {
            Asn1Nesting.check("private key", der, Asn1Nesting.MAX_DEPTH);
            primitive = ASN1Primitive.fromByteArray(der);
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException("not a DER private key", e);
        }
        try {
            return PrivateKeyInfo.getInstance(primitive);
        } catch (RuntimeException ignored) {
            // try the next form
        }
        try {
            return new PKCS8EncryptedPrivateKeyInfo(EncryptedPrivateKeyInfo.getInstance(primitive));
        } catch (RuntimeException ignored) {
            // try the next form
        }
        try {
            RSAPrivateKey rsa = RSAPrivateKey.getInstance(primitive);
            return new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa);
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException("not a PKCS#8 or PKCS#1 private key", e);
        }
    }

    private static PrivateKey convert(Object parsed, char[] password) throws MalformedDataException, DecryptionException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (password == null) {
                throw new DecryptionException("the private key is encrypted: a password is needed");
            }
            if (parsed instanceof PEMEncryptedKeyPair encrypted) {
                PEMKeyPair pair = encrypted.decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            PKCS8EncryptedPrivateKeyInfo encrypted = (PKCS8EncryptedPrivateKeyInfo) parsed;
            PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
            return converter.getPrivateKey(info);
        } catch (PKCSException | org.bouncycastle.openssl.EncryptionException e) {
            throw new DecryptionException("cannot decrypt the private key (wrong password?)", e);
        } catch (PEMException e) {
            if (password != null && (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo)) {
                throw new DecryptionException("cannot decrypt the private key (wrong password?)", e);
            }
            throw new MalformedDataException("unsupported private key: " + e.getMessage(), e);
        } catch (IOException | OperatorCreationException | RuntimeException e) {
            if (password != null && (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo)) {
                throw new DecryptionException("cannot decrypt the private key (wrong password?)", e);
            }
            throw new MalformedDataException("unsupported private key: " + e.getMessage(), e);
        }
    }
}
