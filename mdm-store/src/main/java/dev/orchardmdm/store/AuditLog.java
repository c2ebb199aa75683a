package dev.orchardmdm.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The append-only audit log of admin changes and secret reveals. */
public final class AuditLog extends Repository {
    public AuditLog(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    /** Appends an event. {@code detailJson} must not contain secrets. */
    public AuditEvent record(String actor, String action, String objectType, String objectId, String detailJson)
            throws StoreException {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(objectType, "objectType");
        String detail = Json.checked(detailJson, "detail");
        Instant now = now();
        return tx(h -> {
            long id = insertReturningId(h, "INSERT INTO audit_events (occurred_at, actor, action, object_type, object_id, detail)"
                    + " VALUES (:now, :a, :act, :t, :o, :d)", q -> q.bind("now", now).bind("a", actor).bind("act", action)
                    .bind("t", objectType).bind("o", objectId).bind("d", detail));
            return new AuditEvent(id, now, actor, action, objectType, objectId, detail);
        });
    }

    /** Events, newest first, optionally of one object type and id. */
    public List<AuditEvent> list(String objectType, String objectId, int limit, int offset) {
        return list(objectType, objectId, null, limit, offset);
    }

    /** Events, newest first, optionally of one object type, object id and action ({@code null}: any). */
    public List<AuditEvent> list(String objectType, String objectId, String action, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_events WHERE " + FILTER
                        + " ORDER BY id DESC LIMIT :l OFFSET :off")
                .bind("t", objectType).bind("o", objectId).bind("act", action).bind("l", limit).bind("off", offset)
                .map(ConstructorMapper.of(AuditEvent.class)).list());
    }

    /** How many events {@link #list(String, String, String, int, int)} selects, counted by the database. */
    public long count(String objectType, String objectId, String action) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_events WHERE " + FILTER)
                .bind("t", objectType).bind("o", objectId).bind("act", action)
                .mapTo(Long.class).one());
    }

    private static final String FILTER = "(:t IS NULL OR object_type = :t) AND (:o IS NULL OR object_id = :o)"
            + " AND (:act IS NULL OR action = :act)";
}
