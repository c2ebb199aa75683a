package dev.orchardmdm.server.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiJson;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.Pagination;
import dev.orchardmdm.store.AuditEvent;
import dev.orchardmdm.store.AuditLog;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code GET /api/audit_events/}, newest first (filters {@code object_type}, {@code object_id}). */
public final class AuditRoutes implements ApiModule {

    /** Permission to read the audit trail. */
    public static final String VIEW = "audit.view_auditevent";
    /** Most events a plain (unpaginated) list returns. */
    public static final int MAX_UNPAGINATED = 10_000;

    private final AuditLog log;
    private final ObjectMapper mapper = ApiJson.newMapper();

    public AuditRoutes(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(new ApiRoute("GET", "/api/audit_events/", List.of(VIEW),
                "List audit events, newest first (filters object_type, object_id, action)", this::list));
    }

    private ApiResponse list(ApiCall call) throws ApiException {
        String type = call.filter("object_type").orElse(null);
        String id = call.filter("object_id").orElse(null);
        String action = call.filter("action").orElse(null);
        return Pagination.respond(call, Pagination.source(
                (limit, offset) -> log.list(type, id, action, Math.min(limit, MAX_UNPAGINATED), offset).stream()
                        .map(this::serialize).toList(),
                () -> log.count(type, id, action)));
    }

    /** The JSON of an event: id, created_at, actor, action, object_type, object_id, details. */
    public Map<String, Object> serialize(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("created_at", ApiTimestamps.format(e.occurredAt()));
        m.put("actor", e.actor());
        m.put("action", e.action());
        m.put("object_type", e.objectType());
        m.put("object_id", e.objectId());
        Object details;
        try {
            details = e.detail() == null ? Map.of() : mapper.readTree(e.detail());
        } catch (IOException ex) {
            details = e.detail();
        }
        m.put("details", details);
        return m;
    }
}
