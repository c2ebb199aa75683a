package dev.orchardmdm.crypto.testing;

import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.scep.ScepAttributes;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A minimal SCEP client for tests (what a device does): builds PKCSReq/RenewalReq messages with
 * any digest and content cipher, and reads CertRep replies.
 */
public final class ScepTestClient {
    private ScepTestClient() {
    }

    /** A DER CSR for {@code subject} with an optional challengePassword attribute. */
    public static byte[] csr(KeyPair keys, String subject, String challenge) {
        try {
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
                    keys.getPublic());
            if (challenge != null) {
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(challenge));
            }
            return b.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(Bc.PROVIDER).build(keys.getPrivate()))
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A pkiMessage: the CSR encrypted to {@code recipient} with {@code cipher}, signed by
     * {@code signerKey}/{@code signerCert} with {@code digest} (SHA1, SHA256, ...).
     */
    public static byte[] request(int messageType, byte[] csrDer, X509Certificate recipient, ASN1ObjectIdentifier cipher,
                                 X509Certificate signerCert, PrivateKey signerKey, String digest,
                                 String transactionId, byte[] senderNonce) {
        try {
            CMSEnvelopedDataGenerator env = new CMSEnvelopedDataGenerator();
            env.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient).setProvider(Bc.PROVIDER));
            byte[] envelope = env.generate(new CMSProcessableByteArray(csrDer),
                    new JceCMSContentEncryptorBuilder(cipher).setProvider(Bc.PROVIDER).build()).getEncoded();
            Hashtable<ASN1ObjectIdentifier, Attribute> attrs = new Hashtable<>();
            put(attrs, ScepAttributes.TRANSACTION_ID, new DERPrintableString(transactionId));
            put(attrs, ScepAttributes.MESSAGE_TYPE, new DERPrintableString(Integer.toString(messageType)));
            put(attrs, ScepAttributes.SENDER_NONCE, new DEROctetString(senderNonce));
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
                    .build(new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(signerKey, digest))
                            .setProvider(Bc.PROVIDER).build(signerKey), signerCert));
            gen.addCertificates(new JcaCertStore(List.of(signerCert)));
            return gen.generate(new CMSProcessableByteArray(envelope), true).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(Hashtable<ASN1ObjectIdentifier, Attribute> attrs, ASN1ObjectIdentifier oid, ASN1Encodable v) {
        attrs.put(oid, new Attribute(oid, new DERSet(v)));
    }

    /** A decoded CertRep. */
    public record CertRep(String status, String failInfo, String transactionId, byte[] recipientNonce,
                          String digestOid, X509Certificate issued) {
    }

    /** Verifies a CertRep's signature with the CA certificate and decrypts the issued certificate (if any). */
    public static CertRep read(byte[] certRep, X509Certificate caCert, PrivateKey clientKey) {
        try {
            CMSSignedData sd = new CMSSignedData(certRep);
            SignerInformation si = sd.getSignerInfos().getSigners().iterator().next();
            if (!si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Bc.PROVIDER).build(caCert))) {
                throw new AssertionError("CertRep signature does not verify with the CA certificate");
            }
            AttributeTable attrs = si.getSignedAttributes();
            String status = ScepAttributes.string(attrs, ScepAttributes.PKI_STATUS);
            X509Certificate issued = null;
            if ("0".equals(status)) {
                CMSEnvelopedData env = new CMSEnvelopedData((byte[]) sd.getSignedContent().getContent());
                RecipientInformation r = env.getRecipientInfos().getRecipients().iterator().next();
                byte[] degenerate = r.getContent(new JceKeyTransEnvelopedRecipient(clientKey).setProvider(Bc.PROVIDER));
                CMSSignedData certs = new CMSSignedData(degenerate);
                X509CertificateHolder h = certs.getCertificates().getMatches(null).iterator().next();
                issued = Certificates.parseDer(h.getEncoded());
            }
            return new CertRep(status, ScepAttributes.string(attrs, ScepAttributes.FAIL_INFO),
                    ScepAttributes.string(attrs, ScepAttributes.TRANSACTION_ID),
                    ScepAttributes.octets(attrs, ScepAttributes.RECIPIENT_NONCE), si.getDigestAlgOID(), issued);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unreadable CertRep", e);
        }
    }
}
