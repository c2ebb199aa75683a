package dev.orchardmdm.crypto.keys;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** RSA and EC key-pair generation, and the matching default signature algorithm names. */
public final class KeyPairs {
    private KeyPairs() {
    }

    /** A new RSA key pair of {@code bits} bits (2048 or more). */
    public static KeyPair rsa(int bits) {
        if (bits < 2048) {
            throw new IllegalArgumentException("RSA keys shorter than 2048 bits are not generated");
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation failed", e);
        }
    }

    /** A new EC key pair on a named curve: {@code secp256r1} (P-256) or {@code secp384r1} (P-384). */
    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot generate an EC key on " + curve, e);
        }
    }

    /** {@code SHA256withRSA} or {@code SHA256withECDSA}, by the key's algorithm. */
    public static String signatureAlgorithm(Key key) {
        return signatureAlgorithm(key, "SHA256");
    }

    /** {@code <digest>withRSA} or {@code <digest>withECDSA}, digest one of SHA1, SHA256, SHA384, SHA512. */
    public static String signatureAlgorithm(Key key, String digest) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> digest + "withRSA";
            case "EC", "ECDSA" -> digest + "withECDSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    }
}
