package dev.orchardmdm.server.api.mdm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.store.Command;
import dev.orchardmdm.store.EnrolledDevice;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Zentral's JSON shapes of enrolled devices and device commands. */
public final class DeviceJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeviceJson() {
    }

    /** The spec's enrolled device object. */
    public static Map<String, Object> device(EnrolledDevice d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("udid", d.udid());
        m.put("serial_number", d.serialNumber());
        m.put("name", d.name());
        m.put("model", d.model());
        m.put("platform", d.platform());
        m.put("os_version", d.osVersion());
        m.put("build_version", d.buildVersion());
        m.put("apple_silicon", d.appleSilicon());
        m.put("cert_not_valid_after", ApiTimestamps.format(d.certNotValidAfter()));
        m.put("blueprint", d.blueprintId());
        m.put("awaiting_configuration", d.awaitingConfiguration());
        m.put("declarative_management", d.declarativeManagement());
        m.put("dep_enrollment", d.depEnrollment());
        m.put("user_enrollment", d.userEnrollment());
        m.put("user_approved_enrollment", d.userApprovedEnrollment());
        m.put("supervised", d.supervised());
        m.put("bootstrap_token_escrowed", d.bootstrapTokenEscrowed());
        m.put("filevault_enabled", d.filevaultEnabled());
        m.put("filevault_prk_escrowed", d.filevaultPrkEscrowed());
        m.put("activation_lock_manageable", d.activationLockManageable());
        m.put("last_seen_at", ApiTimestamps.format(d.lastSeenAt()));
        m.put("last_notified_at", ApiTimestamps.format(d.lastNotifiedAt()));
        m.put("checkout_at", ApiTimestamps.format(d.checkoutAt()));
        m.put("blocked_at", ApiTimestamps.format(d.blockedAt()));
        m.put("created_at", ApiTimestamps.format(d.createdAt()));
        m.put("updated_at", ApiTimestamps.format(d.updatedAt()));
        return m;
    }

    /**
     * The spec's device command object. {@code result} is the base64 of the raw result plist,
     * {@code error_chain} the decoded ErrorChain list.
     */
    public static Map<String, Object> command(Command c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("uuid", c.uuid().toString());
        m.put("enrolled_device", c.enrolledDeviceId());
        m.put("name", c.name());
        m.put("artifact_version", c.artifactVersion());
        m.put("artifact_operation", c.artifactOperation());
        m.put("not_before", ApiTimestamps.format(c.notBefore()));
        m.put("time", ApiTimestamps.format(c.sentAt()));
        m.put("result", c.resultPlist() == null ? null : Base64.getEncoder().encodeToString(c.resultPlist()));
        m.put("result_time", ApiTimestamps.format(c.resultTime()));
        m.put("status", c.status() == null ? null : c.status().appleName());
        m.put("error_chain", errorChain(c.errorChain()));
        m.put("created_at", ApiTimestamps.format(c.createdAt()));
        m.put("updated_at", ApiTimestamps.format(c.updatedAt()));
        return m;
    }

    private static Object errorChain(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return json;
        }
    }
}
