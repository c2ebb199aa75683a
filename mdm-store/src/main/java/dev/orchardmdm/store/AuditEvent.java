package dev.orchardmdm.store;

import java.time.Instant;

/**
 * One entry of the audit log: who did what to which object.
 *
 * @param actor  e.g. {@code api_token:3}
 * @param action e.g. {@code created}, {@code deleted}, {@code filevault_prk_viewed}
 * @param detail JSON text (never a secret), or null
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String action, String objectType, String objectId,
                         String detail) {
}
