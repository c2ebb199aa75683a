-- mdm-server's own tables, migrated with their own Flyway history table
-- (orchard_server_schema_history), beside mdm-store's schema. ${blob} comes from
-- dev.orchardmdm.store.Dialect.

-- Identities the server generates on first start (embedded SCEP CA, profile signing):
-- certificate chain in PEM, private key (PKCS#8 DER) sealed by the FieldCipher with
-- associated data (server_identities, private_key, name).
CREATE TABLE server_identities (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    certificate_pem TEXT NOT NULL,
    private_key ${blob} NOT NULL,
    created_at BIGINT NOT NULL
);

-- Declarative-management status reports, as received (JSON), newest kept per device.
CREATE TABLE ddm_status_reports (
    enrollment_id VARCHAR(300) NOT NULL PRIMARY KEY,
    report TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
