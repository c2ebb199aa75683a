package dev.orchardmdm.store;

import java.time.Instant;
import java.util.UUID;

/**
 * An Apps &amp; Books location (Zentral's JSON shape). Its server token (sToken) is stored
 * encrypted and read through {@link AppsBooksRepository#serverToken}.
 */
public record Location(long id, String name, String organizationName, String countryCode, String libraryUid,
                       String platform, String websiteUrl, UUID mdmInfoId, Instant serverTokenExpirationDate,
                       Instant createdAt, Instant updatedAt) {

    /** The location details Apple's {@code client/config} returns for a token. */
    public record Spec(String name, String organizationName, String countryCode, String libraryUid, String platform,
                       String websiteUrl, UUID mdmInfoId, Instant serverTokenExpirationDate) {
        public Spec {
            if (name == null || organizationName == null || mdmInfoId == null) {
                throw new IllegalArgumentException("name, organization name and mdm info id are required");
            }
        }
    }
}
