package dev.orchardmdm.server.api;

import dev.orchardmdm.server.api.audit.AuditEvent;
import dev.orchardmdm.server.api.audit.AuditLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** An audit log kept in memory, for tests of the API layer alone. */
public final class MemoryAuditLog implements AuditLog {
    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized AuditEvent record(AuditEvent e) {
        AuditEvent stored = new AuditEvent(events.size() + 1, e.createdAt(), e.actor(), e.action(), e.objectType(),
                e.objectId(), e.details());
        events.add(stored);
        return stored;
    }

    @Override
    public synchronized List<AuditEvent> list(Optional<String> type, Optional<String> id, Optional<String> action) {
        List<AuditEvent> out = new ArrayList<>(events.stream()
                .filter(e -> type.map(e.objectType()::equals).orElse(true))
                .filter(e -> id.map(e.objectId()::equals).orElse(true))
                .filter(e -> action.map(e.action()::equals).orElse(true)).toList());
        Collections.reverse(out);
        return out;
    }
}
