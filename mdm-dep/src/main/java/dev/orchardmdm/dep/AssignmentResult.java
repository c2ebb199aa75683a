package dev.orchardmdm.dep;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The outcome of assigning devices, per serial number.
 *
 * @param enrollmentRef what the devices were assigned to (ADE profile UUID, ABM MDM server id)
 * @param statuses      the outcome for each serial number sent
 */
public record AssignmentResult(String enrollmentRef, Map<String, Status> statuses) {

    /** The outcome for one device. */
    public enum Status {
        /** Done. */
        SUCCESS,
        /** The device is not assigned to this MDM server (or does not exist). */
        NOT_ACCESSIBLE,
        /** The service failed for this device; it may be retried. */
        FAILED,
        /** Accepted, finished later by the service (asynchronous APIs). */
        PENDING;

        /** Maps Apple's status words; anything unknown is {@link #FAILED}. */
        public static Status fromApple(String word) {
            if (word == null) {
                return FAILED;
            }
            return switch (word.trim().toUpperCase(java.util.Locale.ROOT)) {
                case "SUCCESS" -> SUCCESS;
                case "NOT_ACCESSIBLE" -> NOT_ACCESSIBLE;
                case "PENDING", "IN_PROGRESS" -> PENDING;
                default -> FAILED;
            };
        }
    }

    public AssignmentResult {
        Objects.requireNonNull(enrollmentRef, "enrollmentRef");
        statuses = Map.copyOf(statuses);
    }

    /** The serial numbers with the given outcome, sorted. */
    public Set<String> withStatus(Status status) {
        return statuses.entrySet().stream().filter(e -> e.getValue() == status).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Merges two results for the same enrollment (used when a call is split in batches). */
    public AssignmentResult merge(AssignmentResult other) {
        Map<String, Status> all = new TreeMap<>(statuses);
        all.putAll(other.statuses);
        return new AssignmentResult(enrollmentRef, all);
    }
}
