package dev.orchardmdm.protocol.profile;

import dev.orchardmdm.protocol.PlistDict;
import java.util.Optional;

/**
 * The {@code com.apple.security.scep} payload: the device enrolls for its identity certificate by SCEP.
 *
 * @param keyUsage 1 signing, 4 encryption, 5 both
 * @param keysize  1024, 2048 or 4096
 */
public record ScepPayload(Payload.Common common, String url, Optional<String> name, Subject subject,
                          Optional<String> challenge, int keysize, int keyUsage, boolean keyIsExtractable,
                          boolean allowAllAppsAccess, Optional<PlistDict> subjectAltName) implements Payload {

    public ScepPayload {
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            throw new IllegalArgumentException("SCEP URL must be http(s)");
        }
        if (keysize != 1024 && keysize != 2048 && keysize != 4096) {
            throw new IllegalArgumentException("Keysize must be 1024, 2048 or 4096");
        }
        if (keyUsage < 0 || keyUsage > 5 || keyUsage == 2 || keyUsage == 3) {
            throw new IllegalArgumentException("Key Usage must be 0, 1, 4 or 5");
        }
    }

    /** A payload with the usual MDM identity settings: RSA 2048, signing and encryption, not extractable. */
    public static ScepPayload forMdmIdentity(Payload.Common common, String url, String name, Subject subject,
                                             String challenge) {
        return new ScepPayload(common, url, Optional.of(name), subject, Optional.of(challenge), 2048, 5, false,
                false, Optional.empty());
    }

    @Override
    public String payloadType() {
        return "com.apple.security.scep";
    }

    @Override
    public PlistDict toDict() {
        PlistDict content = PlistDict.builder().put("URL", url).putOptional("Name", name)
                .put("Subject", subject.rdns()).putOptional("Challenge", challenge).put("Keysize", keysize)
                .put("Key Type", "RSA").put("Key Usage", keyUsage).put("KeyIsExtractable", keyIsExtractable)
                .put("AllowAllAppsAccess", allowAllAppsAccess).putOptional("SubjectAltName", subjectAltName)
                .build();
        return common.start(payloadType()).put("PayloadContent", content).build();
    }

    @Override
    public String toString() {
        return "ScepPayload[" + common + ", url=" + url + ", challenge=" + challenge.map(c -> "<redacted>") + "]";
    }
}
