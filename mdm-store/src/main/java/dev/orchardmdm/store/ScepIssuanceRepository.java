package dev.orchardmdm.store;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The SCEP issuance ledger: each claim (a hashed PKCSReq challenge and subject, or the fingerprint
 * of a renewed certificate) admits one certificate. A renewal moves the enrollment session's
 * certificate binding to the new certificate in the same transaction, so that the renewed
 * certificate stops being accepted the moment its successor is handed out.
 */
public final class ScepIssuanceRepository extends Repository {

    public ScepIssuanceRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    /** A spent claim: the transaction and key it was spent on, and the certificate issued (DER). */
    public record Issuance(String claim, String transactionId, String publicKeySha256, byte[] certificate) {
        public Issuance {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(transactionId, "transactionId");
            Objects.requireNonNull(publicKeySha256, "publicKeySha256");
            certificate = certificate.clone();
        }

        @Override
        public byte[] certificate() {
            return certificate.clone();
        }
    }

    /** The issuance recorded for {@code claim}, if any. */
    public Optional<Issuance> find(String claim) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scep_issuances WHERE claim = :c").bind("c", claim)
                .map((rs, ctx) -> new Issuance(rs.getString("claim"), rs.getString("transaction_id"),
                        rs.getString("public_key_sha256"), rs.getBytes("certificate"))).findOne());
    }

    /**
     * Records a PKCSReq issuance.
     *
     * @return false if the claim was already spent
     */
    public boolean record(Issuance issuance) throws StoreException {
        return tx(h -> insert(h, issuance));
    }

    /**
     * Records a renewal and rebinds the enrollment session (and its device) from the renewed
     * certificate's fingerprint to the new one, in one transaction.
     *
     * @return false if the claim was already spent or the session no longer holds {@code oldFingerprint}
     *         (nothing is then changed)
     */
    public boolean recordRenewal(Issuance issuance, long sessionId, String oldFingerprint, String newFingerprint)
            throws StoreException {
        try {
            return tx(h -> {
                int n = h.createUpdate("UPDATE enrollment_sessions SET cert_fingerprint = :new, updated_at = :now"
                                + " WHERE id = :id AND cert_fingerprint = :old")
                        .bind("new", newFingerprint).bind("old", oldFingerprint).bind("id", sessionId)
                        .bind("now", now()).execute();
                if (n != 1) {
                    return false;
                }
                h.createUpdate("UPDATE enrolled_devices SET cert_fingerprint = :new WHERE cert_fingerprint = :old"
                                + " AND id = (SELECT enrolled_device_id FROM enrollment_sessions WHERE id = :id)")
                        .bind("new", newFingerprint).bind("old", oldFingerprint).bind("id", sessionId).execute();
                if (!insert(h, issuance)) {
                    throw new ConflictException("SCEP claim already spent"); // rolls the rebinding back
                }
                return true;
            });
        } catch (ConflictException spent) {
            return false;
        }
    }

    private boolean insert(org.jdbi.v3.core.Handle h, Issuance issuance) {
        // ON CONFLICT DO NOTHING: both SQLite and PostgreSQL; a concurrent second use inserts nothing
        return h.createUpdate("INSERT INTO scep_issuances (claim, transaction_id, public_key_sha256, certificate,"
                        + " created_at) VALUES (:c, :t, :k, :cert, :now) ON CONFLICT (claim) DO NOTHING")
                .bind("c", issuance.claim()).bind("t", issuance.transactionId()).bind("k", issuance.publicKeySha256())
                .bind("cert", issuance.certificate()).bind("now", now()).execute() == 1;
    }
}
