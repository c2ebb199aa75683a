package dev.orchardmdm.protocol.profile;

import dev.orchardmdm.protocol.PlistDict;
import java.util.List;
import java.util.Optional;

/**
 * The {@code com.apple.security.acme} payload: the device gets its identity from an ACME server, optionally with a
 * hardware-bound key and attestation. Apple's rules are enforced: RSA keys are 1024-4096 bits in steps of 8 and not
 * hardware bound; EC keys are 192/256/384/521 and hardware-bound ones 256 or 384; Attest needs HardwareBound.
 *
 * @param keyType    {@code RSA} or {@code ECSECPrimeRandom}
 * @param usageFlags 1 signing, 4 encryption (optional)
 */
public record AcmePayload(Payload.Common common, String directoryUrl, String clientIdentifier, int keySize,
                          String keyType, boolean hardwareBound, boolean attest, Subject subject,
                          Optional<Integer> usageFlags, List<String> extendedKeyUsage,
                          Optional<PlistDict> subjectAltName) implements Payload {

    public AcmePayload {
        if (directoryUrl == null || !directoryUrl.startsWith("https://")) {
            throw new IllegalArgumentException("ACME DirectoryURL must be https");
        }
        if (clientIdentifier == null || clientIdentifier.isEmpty()) {
            throw new IllegalArgumentException("ACME ClientIdentifier is required");
        }
        switch (keyType) {
            case "RSA" -> {
                if (hardwareBound || keySize < 1024 || keySize > 4096 || keySize % 8 != 0) {
                    throw new IllegalArgumentException("RSA keys: 1024-4096 bits, multiple of 8, not hardware bound");
                }
            }
            case "ECSECPrimeRandom" -> {
                if (!List.of(192, 256, 384, 521).contains(keySize)
                        || (hardwareBound && keySize != 256 && keySize != 384)) {
                    throw new IllegalArgumentException("EC keys: 192, 256, 384 or 521 (hardware bound: 256 or 384)");
                }
            }
            default -> throw new IllegalArgumentException("KeyType must be RSA or ECSECPrimeRandom");
        }
        if (attest && !hardwareBound) {
            throw new IllegalArgumentException("Attest requires HardwareBound");
        }
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
    }

    /** A hardware-bound, attested P-384 identity, as Apple silicon Macs and iOS 16+ support. */
    public static AcmePayload hardwareBound(Payload.Common common, String directoryUrl, String clientIdentifier,
                                            Subject subject) {
        return new AcmePayload(common, directoryUrl, clientIdentifier, 384, "ECSECPrimeRandom", true, true, subject,
                Optional.of(1), List.of(), Optional.empty());
    }

    @Override
    public String payloadType() {
        return "com.apple.security.acme";
    }

    @Override
    public PlistDict toDict() {
        PlistDict.Builder b = common.start(payloadType()).put("DirectoryURL", directoryUrl)
                .put("ClientIdentifier", clientIdentifier).put("KeySize", keySize).put("KeyType", keyType)
                .put("HardwareBound", hardwareBound).put("Attest", attest).put("Subject", subject.rdns())
                .putOptional("UsageFlags", usageFlags).putOptional("SubjectAltName", subjectAltName);
        if (!extendedKeyUsage.isEmpty()) {
            b.put("ExtendedKeyUsage", extendedKeyUsage);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "AcmePayload[" + common + ", directoryUrl=" + directoryUrl + ", clientIdentifier=<redacted>]";
    }
}
