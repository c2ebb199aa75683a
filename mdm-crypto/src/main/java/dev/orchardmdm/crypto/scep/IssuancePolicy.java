package dev.orchardmdm.crypto.scep;

import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import dev.orchardmdm.crypto.keys.NameAttribute;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/** Decides what certificate a valid SCEP request gets: subject, validity, key usages. */
@FunctionalInterface
public interface IssuancePolicy {

    /**
     * The certificate to issue.
     *
     * @param subject           the subject of the certificate
     * @param validity          how long it is valid, from now (minus a small back-dating)
     * @param keyUsage          {@link KeyUsage} bits
     * @param extendedKeyUsages extended key usages (may be empty)
     */
    record Issuance(X500Name subject, Duration validity, int keyUsage, List<KeyPurposeId> extendedKeyUsages) {
        public Issuance {
            extendedKeyUsages = List.copyOf(extendedKeyUsages);
        }
    }

    /**
     * Decides, or refuses with a failInfo.
     *
     * @throws ScepRejectedException to answer FAILURE
     */
    Issuance decide(ScepRequest request) throws ScepRejectedException;

    /**
     * The usual MDM device identity policy: the CSR's subject, which must hold a CN of at most
     * {@code maxCommonName} characters; digitalSignature and keyEncipherment; clientAuth.
     */
    static IssuancePolicy deviceIdentity(Duration validity) {
        return deviceIdentity(validity, KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                List.of(KeyPurposeId.id_kp_clientAuth));
    }

    /**
     * The device identity policy with configured key usage bits and extended key usages: the CSR's
     * subject, which must hold a CN of 1 to 64 characters.
     */
    static IssuancePolicy deviceIdentity(Duration validity, int keyUsage, List<KeyPurposeId> extendedKeyUsages) {
        List<KeyPurposeId> ekus = List.copyOf(extendedKeyUsages);
        return request -> {
            String cn = request.subjectAttribute(NameAttribute.CN);
            if (cn == null || cn.isBlank() || cn.length() > 64) {
                throw new ScepRejectedException(FailInfo.BAD_REQUEST, "the CSR subject needs a CN of 1 to 64 characters");
            }
            return new Issuance(request.subject(), validity, keyUsage, ekus);
        };
    }
}
