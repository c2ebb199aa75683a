package dev.orchardmdm.store;

import java.time.Instant;

/** The licence counts of one asset at one location (Zentral's JSON shape). */
public record LocationAsset(long id, long locationId, long assetId, int assignedCount, int availableCount,
                            int retiredCount, int totalCount, Instant createdAt, Instant updatedAt) {
}
