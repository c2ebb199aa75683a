package dev.orchardmdm.crypto.scep;

import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.NameAttribute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A decrypted, signature-checked SCEP enrollment request, as given to the challenge checker and
 * the issuance policy.
 *
 * @param type              PKCSReq or RenewalReq
 * @param transactionId     the client's transaction id
 * @param subject           the subject requested in the CSR
 * @param publicKey         the public key to certify
 * @param challengePassword the CSR's challengePassword attribute, or {@code null}
 * @param signer            the certificate that signed the request (self-signed for PKCSReq, the
 *                          current certificate for RenewalReq)
 * @param csr               the CSR itself
 */
public record ScepRequest(MessageType type, String transactionId, X500Name subject, PublicKey publicKey,
                          String challengePassword, X509Certificate signer, PKCS10CertificationRequest csr) {

    /** The value of the first subject attribute of this type (e.g. {@link NameAttribute#CN}), or {@code null}. */
    public String subjectAttribute(NameAttribute attribute) {
        try {
            return Certificates.attribute(new X500Principal(subject.getEncoded()), attribute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the CSR subject", e);
        }
    }
}
