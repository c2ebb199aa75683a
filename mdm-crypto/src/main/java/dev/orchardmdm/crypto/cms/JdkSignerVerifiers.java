package dev.orchardmdm.crypto.cms;

import dev.orchardmdm.crypto.Bc;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.SignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Builds {@link SignerInformationVerifier}s for the device hot path. Bouncy Castle's
 * {@code JcaSimpleSignerInfoVerifierBuilder} rebuilds its algorithm tables on every call and, for
 * RSA, verifies each signature a second time with a raw cipher; this builder shares the (immutable)
 * tables and verifies once, with the JDK providers first (Bouncy Castle as the fallback for
 * algorithms the JDK lacks). One instance is safe to share between threads.
 */
final class JdkSignerVerifiers {
    private final CMSSignatureAlgorithmNameGenerator names = new DefaultCMSSignatureAlgorithmNameGenerator();
    private final SignatureAlgorithmIdentifierFinder finder = new DefaultSignatureAlgorithmIdentifierFinder();
    private final DefaultAlgorithmNameFinder algorithmNames = new DefaultAlgorithmNameFinder();
    private final DigestCalculatorProvider digests;

    JdkSignerVerifiers() {
        try {
            digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A verifier of signatures made with the private key of {@code key}. */
    SignerInformationVerifier forKey(PublicKey key) {
        return new SignerInformationVerifier(names, finder, new Provider(key), digests);
    }

    private final class Provider implements ContentVerifierProvider {
        private final PublicKey key;

        Provider(PublicKey key) {
            this.key = key;
        }

        @Override
        public boolean hasAssociatedCertificate() {
            return false;
        }

        @Override
        public X509CertificateHolder getAssociatedCertificate() {
            return null;
        }

        @Override
        public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
            String name = algorithmNames.getAlgorithmName(algorithm);
            Signature signature;
            try {
                try {
                    signature = Signature.getInstance(name);
                    signature.initVerify(key);
                } catch (GeneralSecurityException jdkLacksIt) {
                    signature = Signature.getInstance(name, Bc.PROVIDER);
                    signature.initVerify(key);
                }
            } catch (GeneralSecurityException e) {
                throw new OperatorCreationException("cannot verify " + name + ": " + e.getMessage(), e);
            }
            Signature s = signature;
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    try {
                        s.update(b, off, len);
                    } catch (GeneralSecurityException e) {
                        throw new RuntimeOperatorException("signature update failed", e);
                    }
                }
            };
            return new ContentVerifier() {
                @Override
                public AlgorithmIdentifier getAlgorithmIdentifier() {
                    return algorithm;
                }

                @Override
                public OutputStream getOutputStream() {
                    return out;
                }

                @Override
                public boolean verify(byte[] expected) {
                    try {
                        return s.verify(expected);
                    } catch (GeneralSecurityException e) {
                        return false;
                    }
                }
            };
        }
    }
}
