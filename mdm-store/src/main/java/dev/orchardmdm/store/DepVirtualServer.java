package dev.orchardmdm.store;

import java.time.Instant;
import java.util.UUID;

/** An ADE (DEP) virtual server (one per server token), with Apple's organization details. */
public record DepVirtualServer(long id, String name, UUID uuid, long tokenId, String organizationName,
                               String organizationEmail, String organizationPhone, String organizationAddress,
                               String organizationType, String organizationVersion, Long defaultEnrollmentId,
                               Instant createdAt, Instant updatedAt) {

    /** What Apple's {@code account} endpoint tells about a server. */
    public record Spec(String name, UUID uuid, long tokenId, String organizationName, String organizationEmail,
                       String organizationPhone, String organizationAddress, String organizationType,
                       String organizationVersion) {
    }
}
