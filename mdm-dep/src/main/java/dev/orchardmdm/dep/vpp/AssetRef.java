package dev.orchardmdm.dep.vpp;

import java.util.Objects;

/**
 * Names an asset in associate/disassociate calls.
 *
 * @param adamId       the App Store id
 * @param pricingParam {@code STDQ} or {@code PLUS}
 */
public record AssetRef(String adamId, String pricingParam) {
    public AssetRef {
        Objects.requireNonNull(adamId, "adamId");
        Objects.requireNonNull(pricingParam, "pricingParam");
    }

    /** The standard-quality asset with this id. */
    public static AssetRef standard(String adamId) {
        return new AssetRef(adamId, "STDQ");
    }
}
