package dev.orchardmdm.protocol.profile;

import dev.orchardmdm.protocol.PlistDict;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code com.apple.mdm} payload: where the device checks in and connects, with which identity and push topic.
 * Build with {@link #builder(Payload.Common, String, String, String)}.
 */
public record MdmPayload(Payload.Common common, String identityCertificateUuid, String topic, String serverUrl,
                         Optional<String> checkInUrl, boolean signMessage, boolean checkOutWhenRemoved,
                         List<String> serverCapabilities, Optional<AccessRights> accessRights,
                         Optional<String> assignedManagedAppleId, Optional<String> enrollmentMode,
                         boolean useDevelopmentApns) implements Payload {
    /** Capability: the server supports per-user connections (macOS user channel). */
    public static final String PER_USER_CONNECTIONS = "com.apple.mdm.per-user-connections";
    /** Capability: the server escrows bootstrap tokens. */
    public static final String BOOTSTRAP_TOKEN = "com.apple.mdm.bootstraptoken";
    /** Capability: the server answers GetToken. */
    public static final String TOKEN = "com.apple.mdm.token";

    public MdmPayload {
        requireHttps(serverUrl, "ServerURL");
        checkInUrl.ifPresent(u -> requireHttps(u, "CheckInURL"));
        if (topic == null || !topic.startsWith("com.apple.mgmt.")) {
            throw new IllegalArgumentException("Topic must be the push certificate topic (com.apple.mgmt....)");
        }
        if (identityCertificateUuid == null || identityCertificateUuid.isBlank()) {
            throw new IllegalArgumentException("IdentityCertificateUUID is required");
        }
        enrollmentMode.ifPresent(m -> {
            if (!m.equals("BYOD") && !m.equals("ADDE")) {
                throw new IllegalArgumentException("EnrollmentMode must be BYOD or ADDE");
            }
            if (assignedManagedAppleId.isEmpty()) {
                throw new IllegalArgumentException("EnrollmentMode needs AssignedManagedAppleID");
            }
        });
        serverCapabilities = List.copyOf(serverCapabilities);
    }

    private static void requireHttps(String url, String key) {
        if (url == null || !url.startsWith("https://")) {
            throw new IllegalArgumentException(key + " must be an https:// URL");
        }
    }

    /**
     * Starts a builder.
     *
     * @param identityCertificateUuid PayloadUUID of the SCEP/ACME/PKCS#12 payload that provides the identity
     * @param topic                   the push certificate's topic
     * @param serverUrl               the connect endpoint
     */
    public static Builder builder(Payload.Common common, String identityCertificateUuid, String topic,
                                  String serverUrl) {
        return new Builder(common, identityCertificateUuid, topic, serverUrl);
    }

    @Override
    public String payloadType() {
        return "com.apple.mdm";
    }

    @Override
    public PlistDict toDict() {
        PlistDict.Builder b = common.start(payloadType()).put("IdentityCertificateUUID", identityCertificateUuid)
                .put("Topic", topic).put("ServerURL", serverUrl).putOptional("CheckInURL", checkInUrl)
                .put("SignMessage", signMessage).put("CheckOutWhenRemoved", checkOutWhenRemoved);
        if (!serverCapabilities.isEmpty()) {
            b.put("ServerCapabilities", serverCapabilities);
        }
        accessRights.ifPresent(a -> b.put("AccessRights", a.value()));
        b.putOptional("AssignedManagedAppleID", assignedManagedAppleId).putOptional("EnrollmentMode", enrollmentMode);
        if (useDevelopmentApns) {
            b.put("UseDevelopmentAPNS", true);
        }
        return b.build();
    }

    /** Builder of {@link MdmPayload}; defaults: AccessRights 8191, CheckOutWhenRemoved true, SignMessage false. */
    public static final class Builder {
        private final Payload.Common common;
        private final String identityCertificateUuid;
        private final String topic;
        private final String serverUrl;
        private Optional<String> checkInUrl = Optional.empty();
        private boolean signMessage;
        private boolean checkOutWhenRemoved = true;
        private final Set<String> capabilities = new LinkedHashSet<>();
        private Optional<AccessRights> accessRights = Optional.of(AccessRights.ALL);
        private Optional<String> assignedManagedAppleId = Optional.empty();
        private Optional<String> enrollmentMode = Optional.empty();
        private boolean useDevelopmentApns;

        private Builder(Payload.Common common, String identityCertificateUuid, String topic, String serverUrl) {
            this.common = common;
            this.identityCertificateUuid = identityCertificateUuid;
            this.topic = topic;
            this.serverUrl = serverUrl;
        }

        public Builder checkInUrl(String url) {
            this.checkInUrl = Optional.of(url);
            return this;
        }

        /** Devices sign every message (Mdm-Signature header) instead of relying on mTLS. */
        public Builder signMessage(boolean v) {
            this.signMessage = v;
            return this;
        }

        public Builder checkOutWhenRemoved(boolean v) {
            this.checkOutWhenRemoved = v;
            return this;
        }

        /** Adds a ServerCapabilities entry (see the constants of {@link MdmPayload}). */
        public Builder serverCapability(String capability) {
            capabilities.add(capability);
            return this;
        }

        public Builder accessRights(AccessRights rights) {
            this.accessRights = Optional.of(rights);
            return this;
        }

        /** User enrollment: the Managed Apple ID and the mode (BYOD, or ADDE for account-driven device enrollment). */
        public Builder userEnrollment(String assignedManagedAppleId, String enrollmentMode) {
            this.assignedManagedAppleId = Optional.of(assignedManagedAppleId);
            this.enrollmentMode = Optional.of(enrollmentMode);
            // AccessRights is ignored with a Managed Apple ID
            this.accessRights = Optional.empty();
            return this;
        }

        public Builder useDevelopmentApns(boolean v) {
            this.useDevelopmentApns = v;
            return this;
        }

        public MdmPayload build() {
            return new MdmPayload(common, identityCertificateUuid, topic, serverUrl, checkInUrl, signMessage,
                    checkOutWhenRemoved, List.copyOf(capabilities), accessRights, assignedManagedAppleId,
                    enrollmentMode, useDevelopmentApns);
        }
    }
}
