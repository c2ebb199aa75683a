package dev.orchardmdm.store;

import java.time.Instant;

/** A device assigned to an ADE virtual server, as Apple's device sync reports it. */
public record DepDevice(long id, long virtualServerId, String serialNumber, String assetTag, String color,
                        String description, String deviceFamily, String model, String os, String deviceAssignedBy,
                        Instant deviceAssignedDate, String lastOpType, Instant lastOpDate, String profileStatus,
                        String profileUuid, Instant profileAssignTime, Instant profilePushTime, Long enrollmentId,
                        Instant disownedAt, Instant createdAt, Instant updatedAt) {

    /** The fields of one device of Apple's {@code devices} / {@code devices/sync} answers. */
    public record Sync(String serialNumber, String assetTag, String color, String description, String deviceFamily,
                       String model, String os, String deviceAssignedBy, Instant deviceAssignedDate, String lastOpType,
                       Instant lastOpDate, String profileStatus, String profileUuid, Instant profileAssignTime,
                       Instant profilePushTime) {
        public Sync {
            if (serialNumber == null || serialNumber.isBlank()) {
                throw new IllegalArgumentException("serial number is required");
            }
        }
    }

    /** Filters of {@link DepRepository#listDevices}; null fields do not filter. */
    public record Query(Long virtualServerId, String serialNumber, String deviceFamily, String profileStatus,
                        String profileUuid, Long enrollmentId, int limit, int offset) {
    }
}
