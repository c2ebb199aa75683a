package dev.orchardmdm.server.api.audit;

import java.util.List;
import java.util.Optional;

/** Where audit events are written and read back. */
public interface AuditLog {

    /** Stores an event (its id is assigned) and returns the stored copy. */
    AuditEvent record(AuditEvent event);

    /**
     * Events, newest first, optionally restricted to one object type and/or object id, and/or action.
     */
    List<AuditEvent> list(Optional<String> objectType, Optional<String> objectId, Optional<String> action);
}
