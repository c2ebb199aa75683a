package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;

/**
 * One license assignment ({@code GET assignments}): to a device ({@code serialNumber}) or to a user
 * ({@code clientUserId}).
 *
 * @param adamId       the App Store id
 * @param pricingParam {@code STDQ} or {@code PLUS}
 * @param serialNumber the device, or null for a user assignment
 * @param clientUserId the user, or null for a device assignment
 */
public record Assignment(String adamId, String pricingParam, String serialNumber, String clientUserId) {

    /** True when the license is assigned to a device. */
    public boolean isDeviceAssignment() {
        return serialNumber != null;
    }

    static Assignment fromJson(JsonNode node) throws AbmResponseException {
        String what = "Apps and Books assignment";
        if (!node.isObject()) {
            throw new AbmResponseException(what + " is not an object", 200);
        }
        Assignment a = new Assignment(Json.text(node, "adamId", what), Json.text(node, "pricingParam", what),
                Json.optText(node, "serialNumber", what), Json.optText(node, "clientUserId", what));
        if (a.serialNumber == null && a.clientUserId == null) {
            throw new AbmResponseException(what + ": neither serialNumber nor clientUserId", 200);
        }
        return a;
    }
}
