package dev.orchardmdm.store;

import java.time.Instant;
import java.util.List;

/**
 * An Apps &amp; Books asset (app or book), unique by adam id and pricing parameter.
 *
 * @param metadata JSON text of the App Store metadata, or null
 */
public record Asset(long id, String adamId, String pricingParam, String productType, boolean deviceAssignable,
                    boolean revocable, List<String> supportedPlatforms, String metadata, String name, String bundleId,
                    Instant createdAt, Instant updatedAt) {

    /** What Apple's {@code assets} answer tells. */
    public record Spec(String adamId, String pricingParam, String productType, boolean deviceAssignable, boolean revocable,
                       List<String> supportedPlatforms, String metadata, String name, String bundleId) {
        public Spec {
            if (adamId == null || pricingParam == null || productType == null) {
                throw new IllegalArgumentException("adam id, pricing param and product type are required");
            }
            supportedPlatforms = supportedPlatforms == null ? List.of() : List.copyOf(supportedPlatforms);
            metadata = Json.checked(metadata, "metadata");
        }
    }
}
