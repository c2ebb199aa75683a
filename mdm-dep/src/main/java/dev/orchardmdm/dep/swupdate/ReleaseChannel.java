package dev.orchardmdm.dep.swupdate;

/** Which list of Apple's catalog a release comes from. */
public enum ReleaseChannel {
    /** {@code PublicAssetSets}: the releases Apple offers to everyone. */
    PUBLIC("PublicAssetSets"),
    /** {@code AssetSets}: the releases an MDM may pin or defer to (older majors and minors stay here longer). */
    MDM("AssetSets"),
    /** {@code PublicBackgroundSecurityImprovements}: Rapid Security Responses / background security improvements. */
    BACKGROUND_SECURITY("PublicBackgroundSecurityImprovements");

    private final String key;

    ReleaseChannel(String key) {
        this.key = key;
    }

    /** The key of this list in Apple's JSON. */
    public String key() {
        return key;
    }
}
