package dev.orchardmdm.server.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.store.AuditLog;
import dev.orchardmdm.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes enrollment events to the audit log: a device enrolled (Authenticate), checked out, and
 * every refused device request (forged or foreign certificates, session reuse, foreign command
 * results). Routine check-ins and command reports are not audited. No secret is written.
 */
public final class AuditListener implements MdmEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(AuditListener.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final AuditLog audit;

    public AuditListener(AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public void checkedIn(MdmRequest request, CheckinMessage message, MdmResponse response) {
        if (message instanceof CheckinMessage.Authenticate || message instanceof CheckinMessage.CheckOut) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("udid", message.id().deviceId());
            detail.put("certificate_fingerprint", request.identity().fingerprint());
            detail.put("remote_address", request.remoteAddress());
            write(message instanceof CheckinMessage.Authenticate ? "mdm.device.authenticated" : "mdm.device.checked_out",
                    message.id().id(), detail);
        }
    }

    @Override
    public void refused(MdmRequest request, Object message, MdmException error) {
        if (error instanceof MdmException.Forbidden || error instanceof MdmException.Blocked) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("reason", error.getMessage());
            detail.put("certificate_fingerprint", request.identity().fingerprint());
            detail.put("remote_address", request.remoteAddress());
            String id = message instanceof CheckinMessage c ? c.id().id()
                    : message instanceof dev.orchardmdm.protocol.CommandReport r ? r.id().id() : null;
            write("mdm.device.request_refused", id, detail);
        }
    }

    private void write(String action, String objectId, Map<String, Object> detail) {
        try {
            audit.record("device", action, "enrolled_device", objectId, MAPPER.writeValueAsString(detail));
        } catch (StoreException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warn("cannot write audit event {}: {}", action, e.toString());
        }
    }
}
