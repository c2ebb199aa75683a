package dev.orchardmdm.crypto.cms;

import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.SignatureVerificationException;
import dev.orchardmdm.crypto.WrongContentTypeException;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.Limits;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import dev.orchardmdm.crypto.keys.Asn1Nesting;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;

/**
 * Parses and verifies CMS SignedData (DER or BER, attached or detached) from untrusted input: the
 * {@code Mdm-Signature} header, SCEP messages, Apple attestations. Exactly one signer is accepted;
 * its certificate must be in the message; digests SHA-1, SHA-256, SHA-384 or SHA-512; RSA or
 * ECDSA signatures, with or without signed attributes. Chain trust is the caller's business.
 */
public final class SignedMessages {
    private static final Map<ASN1ObjectIdentifier, String> DIGESTS = Map.of(
            OIWObjectIdentifiers.idSHA1, "SHA-1",
            NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384",
            NISTObjectIdentifiers.id_sha512, "SHA-512");

    private static final JdkSignerVerifiers VERIFIERS = new JdkSignerVerifiers();

    private SignedMessages() {
    }

    /**
     * A verified SignedData.
     *
     * @param signer           the signer's certificate (taken from the message)
     * @param certificates     every certificate in the message (possible intermediates)
     * @param content          the signed content (encapsulated, or the detached content given)
     * @param digest           the digest name, e.g. {@code SHA-1}
     * @param signedAttributes the signed attributes, or {@code null} if there are none
     */
    public record Verified(X509Certificate signer, List<X509Certificate> certificates, byte[] content,
                           String digest, AttributeTable signedAttributes) {
    }

    /**
     * Parses a CMS ContentInfo and checks that it is SignedData.
     *
     * @throws WrongContentTypeException if it is another CMS type
     * @throws MalformedDataException    if it is not CMS at all (garbage, truncated)
     */
    public static ContentInfo parseContentInfo(byte[] cms, ASN1ObjectIdentifier expectedType, int maxSize)
            throws MalformedDataException, OversizedInputException {
        if (cms == null || cms.length == 0) {
            throw new MalformedDataException("empty CMS message");
        }
        Limits.check("CMS message", cms.length, maxSize);
        Asn1Nesting.check("CMS message", cms, Asn1Nesting.MAX_DEPTH);
        ContentInfo info;
        try (ASN1InputStream in = new ASN1InputStream(cms, true)) {
            ASN1Primitive primitive = in.readObject();
            if (primitive == null) {
                throw new MalformedDataException("empty CMS message");
            }
            if (in.available() > 0 && in.readObject() != null) {
                throw new MalformedDataException("trailing data after the CMS message");
            }
            info = ContentInfo.getInstance(primitive);
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException("not a CMS message (" + e.getClass().getSimpleName() + ")", e);
        }
        if (info == null || info.getContentType() == null) {
            throw new MalformedDataException("not a CMS message");
        }
        if (!info.getContentType().equals(expectedType)) {
            throw new WrongContentTypeException("CMS content type " + info.getContentType().getId()
                    + " where " + expectedType.getId() + " was expected");
        }
        return info;
    }

    /** The certificate from its original encoding (cheap), or from its DER re-encoding if that was BER. */
    private static X509Certificate certificate(ASN1Primitive element) throws IOException, MalformedDataException {
        try {
            return Certificates.parseDer(element.getEncoded());
        } catch (MalformedDataException e) {
            return Certificates.parseDer(element.getEncoded(ASN1Encoding.DER));
        }
    }

    private static boolean isSigner(SignerId sid, X509Certificate c) {
        if (sid.getSerialNumber() != null) {
            return sid.getSerialNumber().equals(c.getSerialNumber())
                    && X500Name.getInstance(c.getIssuerX500Principal().getEncoded()).equals(sid.getIssuer());
        }
        byte[] ski = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return sid.getSubjectKeyIdentifier() != null && ski != null
                && Arrays.equals(ASN1OctetString.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getOctets(),
                sid.getSubjectKeyIdentifier());
    }

    /**
     * Verifies a SignedData.
     *
     * @param cms             the DER or BER SignedData
     * @param detachedContent the content for a detached signature, or {@code null} for an attached one;
     *                        if the message also carries content, both must be equal
     * @param maxSize         the largest accepted message
     */
    public static Verified verify(byte[] cms, byte[] detachedContent, int maxSize) throws CryptoException {
        ContentInfo info = parseContentInfo(cms, CMSObjectIdentifiers.signedData, maxSize);
        try {
            return verifyParsed(info, detachedContent);
        } catch (RuntimeException e) {
            // the ASN.1 is parsed lazily: a structure broken deep inside surfaces here
            throw new MalformedDataException("malformed SignedData: " + e.getMessage(), e);
        }
    }

    private static Verified verifyParsed(ContentInfo info, byte[] detachedContent) throws CryptoException {
        CMSSignedData signed;
        SignedData sd;
        byte[] content;
        try {
            sd = SignedData.getInstance(info.getContent());
            byte[] attached = null;
            if (sd.getEncapContentInfo().getContent() != null) {
                attached = ASN1OctetString.getInstance(sd.getEncapContentInfo().getContent()).getOctets();
            }
            if (detachedContent == null && attached == null) {
                throw new MalformedDataException("the SignedData carries no content and none was given");
            }
            if (detachedContent != null && attached != null && !Arrays.equals(detachedContent, attached)) {
                throw new SignatureVerificationException("the signed content differs from the message body");
            }
            content = attached != null ? attached : detachedContent;
            signed = attached != null ? new CMSSignedData(info)
                    : new CMSSignedData(new CMSProcessableByteArray(detachedContent), info);
        } catch (CMSException | RuntimeException e) {
            throw new MalformedDataException("malformed SignedData: " + e.getMessage(), e);
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new MalformedDataException("expected exactly one signer, found " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        String digest = DIGESTS.get(signer.getDigestAlgorithmID().getAlgorithm());
        if (digest == null) {
            throw new SignatureVerificationException("digest algorithm " + signer.getDigestAlgOID() + " is not accepted");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        X509Certificate signerCert = null;
        try {
            // certificates are read straight from their encodings by the JDK (no Bouncy Castle holder:
            // that would parse each certificate twice on every device request)
            ASN1Set set = sd.getCertificates();
            for (int i = 0; set != null && i < set.size(); i++) {
                ASN1Encodable element = set.getObjectAt(i);
                if (!(element.toASN1Primitive() instanceof ASN1Sequence)) {
                    continue; // attribute or other certificate formats: not ours
                }
                X509Certificate c = certificate(element.toASN1Primitive());
                certificates.add(c);
                if (signerCert == null && isSigner(signer.getSID(), c)) {
                    signerCert = c;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException("unreadable certificates in the SignedData", e);
        }
        if (signerCert == null) {
            throw new SignatureVerificationException("the signer's certificate is not in the message");
        }
        try {
            // verified with the bare public key: certificate validity is the caller's chain check (with its
            // clock skew, or none for Apple's expired device CA chain). One JDK-provider verification per
            // message (see JdkSignerVerifiers): this is the hot path of every device request.
            if (!signer.verify(VERIFIERS.forKey(signerCert.getPublicKey()))) {
                throw new SignatureVerificationException("the signature does not verify over the content");
            }
        } catch (CMSException | RuntimeException e) {
            throw new SignatureVerificationException("the signature does not verify: " + e.getMessage(), e);
        }
        return new Verified(signerCert, List.copyOf(certificates), content, digest, signer.getSignedAttributes());
    }
}
