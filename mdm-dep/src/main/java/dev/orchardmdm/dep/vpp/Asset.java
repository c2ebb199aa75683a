package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.http.Json;
import java.util.List;

/**
 * An asset (app or book) owned by a location, with its license counts ({@code GET assets}).
 *
 * @param adamId             the App Store id
 * @param pricingParam       {@code STDQ} (standard quality) or {@code PLUS} (high quality)
 * @param productType        {@code App}, {@code Book}, ...
 * @param deviceAssignable   whether licenses can go to a serial number
 * @param revocable          whether licenses can be revoked
 * @param supportedPlatforms e.g. {@code iOS}, {@code macOS}
 * @param assignedCount      licenses in use
 * @param availableCount     licenses free
 * @param retiredCount       licenses retired
 * @param totalCount         licenses owned
 */
public record Asset(String adamId, String pricingParam, String productType, boolean deviceAssignable,
                    boolean revocable, List<String> supportedPlatforms, long assignedCount, long availableCount,
                    long retiredCount, long totalCount) {

    public Asset {
        supportedPlatforms = List.copyOf(supportedPlatforms);
    }

    /** This asset as a reference for associate/disassociate calls. */
    public AssetRef ref() {
        return new AssetRef(adamId, pricingParam);
    }

    static Asset fromJson(JsonNode node) throws AbmResponseException {
        String what = "Apps and Books asset";
        if (!node.isObject()) {
            throw new AbmResponseException(what + " is not an object", 200);
        }
        return new Asset(Json.text(node, "adamId", what), Json.text(node, "pricingParam", what),
                Json.optText(node, "productType", what), Json.optBoolean(node, "deviceAssignable", what),
                Json.optBoolean(node, "revocable", what), Json.optTextList(node, "supportedPlatforms", what),
                Json.optLong(node, "assignedCount", 0, what), Json.optLong(node, "availableCount", 0, what),
                Json.optLong(node, "retiredCount", 0, what), Json.optLong(node, "totalCount", 0, what));
    }
}
