package dev.orchardmdm.crypto.keys;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate and the certificate's issuers (leaf first).
 *
 * @param privateKey the key
 * @param chain      the leaf certificate, then its issuers; never empty
 */
public record KeyAndChain(PrivateKey privateKey, List<X509Certificate> chain) {
    public KeyAndChain {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the leaf certificate");
        }
    }

    /** A key with its certificate alone. */
    public static KeyAndChain of(PrivateKey key, X509Certificate certificate) {
        return new KeyAndChain(key, List.of(certificate));
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The issuers of the leaf (the chain without its first element). */
    public List<X509Certificate> issuers() {
        return chain.subList(1, chain.size());
    }
}
