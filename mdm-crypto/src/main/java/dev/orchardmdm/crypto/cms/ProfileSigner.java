package dev.orchardmdm.crypto.cms;

import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs configuration profiles ({@code .mobileconfig}): CMS SignedData, content attached, DER,
 * SHA-256 with RSA or ECDSA, signed attributes, the signer's certificate and chain included. The
 * result verifies with {@code openssl cms -verify} and is what devices install as a signed profile.
 */
public final class ProfileSigner {
    private final KeyAndChain signer;

    /**
     * A signer with this key, certificate and chain (the chain certificates are embedded).
     *
     * @throws dev.orchardmdm.crypto.KeyMismatchException if the key is not the certificate's
     */
    public ProfileSigner(KeyAndChain signer) throws CryptoException {
        Certificates.checkKeyMatches(signer.certificate(), signer.privateKey());
        this.signer = signer;
    }

    /** Signs {@code profile} (the plist bytes) and returns the DER SignedData. */
    public byte[] sign(byte[] profile) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build())
                    .build(new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(signer.privateKey()))
                            .setProvider(Bc.PROVIDER).build(signer.privateKey()), signer.certificate()));
            gen.addCertificates(new JcaCertStore(signer.chain()));
            return gen.generate(new CMSProcessableByteArray(profile), true).getEncoded("DER");
        } catch (OperatorCreationException | CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot sign the profile", e);
        }
    }
}
