package dev.orchardmdm.server.api.audit;

import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.Pagination;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code GET /api/audit_events/} (filters {@code object_type}, {@code object_id}, {@code action}). */
public final class AuditRoutes implements ApiModule {

    /** Permission to read the audit trail. */
    public static final String VIEW = "audit.view_auditevent";

    private final AuditLog log;

    public AuditRoutes(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(new ApiRoute("GET", "/api/audit_events/", List.of(VIEW),
                "List audit events, newest first", this::list));
    }

    private ApiResponse list(ApiCall call) throws ApiException {
        List<AuditEvent> events = log.list(call.filter("object_type"), call.filter("object_id"), call.filter("action"));
        return Pagination.respond(call, events.stream().map(AuditRoutes::serialize).toList());
    }

    /** Zentral-style serialization of an event. */
    public static Map<String, Object> serialize(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("created_at", ApiTimestamps.format(e.createdAt()));
        m.put("actor", e.actor());
        m.put("action", e.action());
        m.put("object_type", e.objectType());
        m.put("object_id", e.objectId());
        m.put("details", e.details());
        return m;
    }
}
