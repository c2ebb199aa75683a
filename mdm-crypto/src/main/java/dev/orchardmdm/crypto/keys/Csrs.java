package dev.orchardmdm.crypto.keys;

import dev.orchardmdm.crypto.WeakKeyException;
import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.SignatureVerificationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 certificate signing requests: creation, parsing with signature check, PEM. */
public final class Csrs {
    private Csrs() {
    }

    /**
     * A new CSR signed with SHA-256 by the pair's private key.
     *
     * @param subject RFC 4514 text, e.g. {@code CN=MDM Push,C=US}
     * @return the DER encoding
     */
    public static byte[] create(KeyPair keyPair, String subject) {
        try {
            JcaPKCS10CertificationRequestBuilder builder =
                    new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keyPair.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(keyPair.getPrivate()))
                    .setProvider(Bc.PROVIDER).build(keyPair.getPrivate());
            return builder.build(signer).getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create the CSR", e);
        }
    }

    /** PEM ({@code CERTIFICATE REQUEST}) of a DER CSR. */
    public static String toPem(byte[] der) {
        return Pem.encode("CERTIFICATE REQUEST", der);
    }

    /**
     * Parses a DER or PEM CSR and checks its self-signature.
     *
     * @throws MalformedDataException         if it is not a CSR
     * @throws SignatureVerificationException if its signature is wrong
     */
    public static PKCS10CertificationRequest parse(byte[] derOrPem)
            throws MalformedDataException, OversizedInputException, SignatureVerificationException {
        Limits.check("CSR", derOrPem.length, Limits.MAX_ENCODED);
        byte[] der = derOrPem;
        if (Certificates.isPem(derOrPem)) {
            der = null;
            for (Pem.Block block : Pem.blocks(new String(derOrPem, StandardCharsets.US_ASCII))) {
                if (block.type().equals("CERTIFICATE REQUEST") || block.type().equals("NEW CERTIFICATE REQUEST")) {
                    der = block.der();
                    break;
                }
            }
            if (der == null) {
                throw new MalformedDataException("no CERTIFICATE REQUEST block in the PEM input");
            }
        }
        Asn1Nesting.check("CSR", der, Asn1Nesting.MAX_DEPTH);
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException("not a PKCS#10 CSR", e);
        }
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER)
                    .build(csr.getSubjectPublicKeyInfo()))) {
                throw new SignatureVerificationException("the CSR signature does not verify");
            }
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new SignatureVerificationException("the CSR signature cannot be verified: " + e.getMessage(), e);
        }
        return csr;
    }

    /** The public key of a CSR as a JDK key. */
    public static PublicKey publicKey(PKCS10CertificationRequest csr) throws MalformedDataException {
        try {
            return new JcaPKCS10CertificationRequest(csr).getPublicKey();
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw new MalformedDataException("unsupported CSR public key", e);
        }
    }

    /** Smallest accepted RSA modulus. */
    public static final int MIN_RSA_BITS = 2048;
    /** Largest accepted RSA modulus (larger keys only cost the server time). */
    public static final int MAX_RSA_BITS = 8192;

    /**
     * Refuses a key that should not be certified: RSA below {@value #MIN_RSA_BITS} or above
     * {@value #MAX_RSA_BITS} bits, EC on a curve other than P-256 or P-384, any other algorithm.
     *
     * @throws WeakKeyException naming the key found and what is accepted
     */
    public static void requireAcceptableKey(PublicKey key) throws WeakKeyException {
        if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new WeakKeyException("RSA key of " + bits + " bits: RSA keys of " + MIN_RSA_BITS + " to "
                        + MAX_RSA_BITS + " bits, or EC P-256/P-384 keys, are accepted");
            }
            return;
        }
        if (key instanceof java.security.interfaces.ECPublicKey ec) {
            for (String curve : new String[] {"secp256r1", "secp384r1"}) {
                java.security.spec.ECParameterSpec named = namedCurve(curve);
                if (named.getOrder().equals(ec.getParams().getOrder())
                        && named.getCurve().equals(ec.getParams().getCurve())) {
                    return;
                }
            }
            throw new WeakKeyException("EC key on a " + ec.getParams().getCurve().getField().getFieldSize()
                    + "-bit curve other than P-256/P-384: RSA keys of at least " + MIN_RSA_BITS
                    + " bits, or EC P-256/P-384 keys, are accepted");
        }
        throw new WeakKeyException((key == null ? "no" : key.getAlgorithm()) + " key: RSA keys of at least "
                + MIN_RSA_BITS + " bits, or EC P-256/P-384 keys, are accepted");
    }

    private static java.security.spec.ECParameterSpec namedCurve(String name) {
        try {
            java.security.AlgorithmParameters p = java.security.AlgorithmParameters.getInstance("EC");
            p.init(new java.security.spec.ECGenParameterSpec(name));
            return p.getParameterSpec(java.security.spec.ECParameterSpec.class);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JDK does not know " + name, e);
        }
    }
}
