package dev.orchardmdm.server.api.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One audit trail entry: who ({@code actor}, the API token name), what ({@code action} on
 * {@code objectType}/{@code objectId}, with redacted {@code details}), when.
 *
 * @param id        storage id, 0 before it is stored
 * @param createdAt when it happened
 * @param actor     who did it (e.g. {@code token:ci-bot})
 * @param action    e.g. {@code created}, {@code updated}, {@code deleted}, {@code filevault_prk_viewed}
 * @param objectType e.g. {@code mdm.enrolleddevice}
 * @param objectId  the object's key as text
 * @param details   redacted details, see {@link AuditRedactor}
 */
public record AuditEvent(long id, Instant createdAt, String actor, String action, String objectType, String objectId,
                         Map<String, Object> details) {
    public AuditEvent {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(objectId, "objectId");
        details = AuditRedactor.redact(details == null ? Map.of() : details);
    }
}
