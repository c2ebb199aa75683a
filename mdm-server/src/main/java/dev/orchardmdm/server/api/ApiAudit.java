package dev.orchardmdm.server.api;

import dev.orchardmdm.server.api.audit.AuditEvent;
import dev.orchardmdm.server.api.audit.AuditLog;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Writes the audit events of admin changes and reveals, attributed to the calling token. */
public final class ApiAudit {

    private final AuditLog log;
    private final Clock clock;

    public ApiAudit(AuditLog log, Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records {@code action} on an object; {@code details} is redacted before it is stored.
     *
     * @return the stored event
     */
    public AuditEvent record(ApiCall call, String action, String objectType, Object objectId, Map<String, ?> details) {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("client_ip", call.clientIp());
        ApiPrincipal who = call.principal();
        return log.record(new AuditEvent(0, clock.instant(), "token:" + who.name() + "#" + who.tokenId(), action,
                objectType, String.valueOf(objectId), d));
    }

    /** The underlying log. */
    public AuditLog log() {
        return log;
    }
}
