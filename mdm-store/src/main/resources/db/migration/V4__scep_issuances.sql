-- What each SCEP authorization was spent on: a PKCSReq challenge (with its subject) or a renewed
-- certificate admits one certificate. A retry of the same transaction with the same key gets the
-- stored certificate again.
CREATE TABLE scep_issuances (
    claim TEXT PRIMARY KEY,
    transaction_id TEXT NOT NULL,
    public_key_sha256 TEXT NOT NULL,
    certificate ${blob} NOT NULL,
    created_at BIGINT NOT NULL
);
