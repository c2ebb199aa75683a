package dev.orchardmdm.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.server.api.audit.AuditRedactor;
import dev.orchardmdm.store.AuditEvent;
import dev.orchardmdm.store.AuditLog;
import dev.orchardmdm.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the audit events of admin changes and reveals to mdm-store's audit log, attributed to the
 * calling token, with secrets redacted from the details.
 */
public final class ApiAudit {

    private final AuditLog log;
    private final ObjectMapper mapper = ApiJson.newMapper();

    public ApiAudit(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The actor name of a principal, e.g. {@code api_token:3:ci-bot}. */
    public static String actor(ApiPrincipal who) {
        return "api_token:" + who.tokenId() + ":" + who.name();
    }

    /**
     * Records {@code action} on an object; {@code details} is redacted before it is stored.
     *
     * @return the stored event
     * @throws ApiException 503 when the audit log cannot be written (the change is then reported as failed)
     */
    public AuditEvent record(ApiCall call, String action, String objectType, Object objectId, Map<String, ?> details)
            throws ApiException {
        Map<String, Object> d = new LinkedHashMap<>(AuditRedactor.redact(details));
        d.put("client_ip", call.clientIp());
        try {
            return log.record(actor(call.principal()), action, objectType, String.valueOf(objectId),
                    mapper.writeValueAsString(d));
        } catch (StoreException | JsonProcessingException e) {
            throw ApiException.detail(503, "The audit log cannot be written.");
        }
    }

    /** The underlying log. */
    public AuditLog log() {
        return log;
    }
}
