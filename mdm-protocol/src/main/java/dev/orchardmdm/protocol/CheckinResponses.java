package dev.orchardmdm.protocol;

import java.util.Optional;

/** Bodies the server sends back to check-in messages that expect one. */
public final class CheckinResponses {
    private CheckinResponses() {
    }

    /** Answer to GetBootstrapToken: {@code {BootstrapToken: <data>}} (an absent token is sent as no key). */
    public static byte[] bootstrapToken(Optional<byte[]> token) {
        PlistDict.Builder b = PlistDict.builder();
        token.ifPresent(t -> b.put("BootstrapToken", t));
        return b.build().toXml();
    }

    /**
     * Answer to UserAuthenticate: {@code {DigestChallenge: challenge}}. An empty challenge accepts the user
     * without a digest exchange; to refuse managing the user, answer HTTP 410 instead.
     */
    public static byte[] digestChallenge(String challenge) {
        return PlistDict.of("DigestChallenge", challenge).toXml();
    }

    /** Answer to GetToken: {@code {TokenData: <data>}}. */
    public static byte[] token(byte[] tokenData) {
        return PlistDict.of("TokenData", tokenData).toXml();
    }

    /**
     * Answer to the ReturnToService check-in: {@code {ReturnToService: {Enabled, WiFiProfileData, MDMProfileData,
     * BootstrapToken}}}.
     */
    public record ReturnToServiceConfig(boolean enabled, Optional<PlistData> wifiProfileData,
                                        Optional<PlistData> mdmProfileData, Optional<PlistData> bootstrapToken) {
        /** The inner dictionary (also the {@code ReturnToService} key of EraseDevice). */
        public PlistDict toDict() {
            return PlistDict.builder().put("Enabled", enabled)
                    .putOptional("WiFiProfileData", wifiProfileData)
                    .putOptional("MDMProfileData", mdmProfileData)
                    .putOptional("BootstrapToken", bootstrapToken)
                    .build();
        }

        /** The check-in answer as XML plist bytes. */
        public byte[] toPlist() {
            return PlistDict.of("ReturnToService", toDict()).toXml();
        }

        @Override
        public String toString() {
            return "ReturnToServiceConfig[enabled=" + enabled + "]";
        }
    }
}
