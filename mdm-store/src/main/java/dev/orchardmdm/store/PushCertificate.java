package dev.orchardmdm.store;

import java.time.Instant;

/**
 * An APNs push certificate (the private key is stored encrypted and read only through
 * {@link PushCertificateRepository#privateKey}).
 *
 * @param topic the APNs topic (certificate subject UID); unique, kept across renewals
 */
public record PushCertificate(long id, String provisioningUid, String name, String topic, String certificatePem,
                              Instant notBefore, Instant notAfter, boolean hasPrivateKey,
                              Instant createdAt, Instant updatedAt) {
}
