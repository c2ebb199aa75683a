package dev.orchardmdm.protocol.profile;

import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;

/**
 * A certificate payload: {@code com.apple.security.root} (a DER root CA the device will trust) or
 * {@code com.apple.security.pem} (a PEM certificate).
 */
public record CertificatePayload(Payload.Common common, String payloadType, String fileName, PlistData content)
        implements Payload {

    public CertificatePayload {
        if (!payloadType.equals("com.apple.security.root") && !payloadType.equals("com.apple.security.pem")) {
            throw new IllegalArgumentException("certificate payload type must be com.apple.security.root or .pem");
        }
    }

    /** A DER root certificate ({@code com.apple.security.root}). */
    public static CertificatePayload root(Payload.Common common, String fileName, byte[] der) {
        if (der.length == 0 || der[0] != 0x30) {
            throw new IllegalArgumentException("not a DER certificate");
        }
        return new CertificatePayload(common, "com.apple.security.root", fileName, PlistData.of(der));
    }

    /** A PEM certificate ({@code com.apple.security.pem}). */
    public static CertificatePayload pem(Payload.Common common, String fileName, String pem) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("not a PEM certificate");
        }
        return new CertificatePayload(common, "com.apple.security.pem", fileName,
                PlistData.of(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Override
    public PlistDict toDict() {
        return common.start(payloadType).put("PayloadCertificateFileName", fileName).put("PayloadContent", content)
                .build();
    }
}
