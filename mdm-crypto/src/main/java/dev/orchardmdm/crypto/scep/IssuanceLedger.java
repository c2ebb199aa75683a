package dev.orchardmdm.crypto.scep;

import dev.orchardmdm.crypto.CryptoException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers what each SCEP authorization was spent on, so that it admits one certificate:
 * a PKCSReq's claim is its challenge together with its subject (so one challenge gives one
 * certificate per subject), a RenewalReq's claim is the certificate it renews (renewed once).
 *
 * <p>A client that lost the CertRep retries with the same transaction id and the same key: it gets
 * the certificate issued the first time ({@link #previous}), encrypted to the retrying request's
 * signer — a replay by anyone else yields nothing they can read, and never a second certificate.
 */
public interface IssuanceLedger {
    /**
     * The certificate already issued for {@code claim} to this same request (same transaction id,
     * same public key), or empty.
     */
    Optional<X509Certificate> previous(String claim, ScepRequest request) throws CryptoException;

    /**
     * Records {@code issued} as the one certificate of {@code claim}, atomically.
     *
     * @return false if the claim was already spent (the certificate is then not handed out)
     */
    boolean record(String claim, ScepRequest request, X509Certificate issued) throws CryptoException;

    /** A ledger in this object's memory (one process; lost on restart). */
    static IssuanceLedger inMemory() {
        return new IssuanceLedger() {
            private final Map<String, Entry> spent = new HashMap<>();

            @Override
            public synchronized Optional<X509Certificate> previous(String claim, ScepRequest request) {
                Entry e = spent.get(claim);
                return e != null && e.matches(request) ? Optional.of(e.issued()) : Optional.empty();
            }

            @Override
            public synchronized boolean record(String claim, ScepRequest request, X509Certificate issued) {
                return spent.putIfAbsent(claim, new Entry(request.transactionId(),
                        request.publicKey().getEncoded(), issued)) == null;
            }
        };
    }

    /** One spent claim (of {@link #inMemory()}). */
    record Entry(String transactionId, byte[] publicKey, X509Certificate issued) {
        boolean matches(ScepRequest request) {
            return transactionId.equals(request.transactionId())
                    && java.util.Arrays.equals(publicKey, request.publicKey().getEncoded());
        }
    }
}
