package dev.orchardmdm.crypto.push;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.SignatureVerificationException;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Limits;
import dev.orchardmdm.crypto.keys.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The MDM vendor's signature of a customer's push CSR: produces the {@code push.b64} file that the
 * customer uploads to Apple's Push Certificates Portal. The file is base64 of an XML plist with
 * {@code PushCertRequestCSR} (base64 of the DER CSR), {@code PushCertCertificateChain} (PEM of the
 * vendor certificate, Apple WWDR CA G3 and Apple Root CA) and {@code PushCertSignature} (base64 of
 * a SHA-256-with-RSA PKCS#1 v1.5 signature of the DER CSR with the vendor key).
 */
public final class PushCsrSigner {
    private final KeyAndChain vendor;

    /**
     * A signer for this MDM vendor identity (key and vendor certificate from the Apple Developer portal).
     *
     * @throws dev.orchardmdm.crypto.KeyMismatchException if the key is not the certificate's
     */
    public PushCsrSigner(KeyAndChain vendor) throws CryptoException {
        Certificates.checkKeyMatches(vendor.certificate(), vendor.privateKey());
        if (!vendor.privateKey().getAlgorithm().equals("RSA")) {
            throw new MalformedDataException("the MDM vendor key must be RSA");
        }
        this.vendor = vendor;
    }

    /** The contents of a decoded {@code push.b64}. */
    public record PushRequest(byte[] csrDer, List<X509Certificate> chain, byte[] signature) {
    }

    /**
     * Signs a customer's push CSR (DER or PEM); the CSR's own signature and its key are checked
     * first ({@link Csrs#requireAcceptableKey}: a weak key is a {@link dev.orchardmdm.crypto.WeakKeyException}).
     *
     * @return the {@code push.b64} text (base64, no line breaks)
     */
    public String sign(byte[] csr) throws CryptoException {
        byte[] der;
        try {
            org.bouncycastle.pkcs.PKCS10CertificationRequest parsed = Csrs.parse(csr);
            Csrs.requireAcceptableKey(Csrs.publicKey(parsed));
            der = parsed.getEncoded();
        } catch (IOException e) {
            throw new MalformedDataException("the CSR cannot be re-encoded", e);
        }
        byte[] signature;
        try {
            Signature s = Signature.getInstance("SHA256withRSA", Bc.PROVIDER);
            s.initSign(vendor.privateKey());
            s.update(der);
            signature = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the CSR", e);
        }
        List<X509Certificate> chain = List.of(vendor.certificate(), AppleCertificates.wwdrG3(),
                AppleCertificates.appleRootCa());
        NSDictionary plist = new NSDictionary();
        plist.put("PushCertCertificateChain", new NSString(Pem.certificates(chain)));
        plist.put("PushCertRequestCSR", new NSString(Base64.getEncoder().encodeToString(der)));
        plist.put("PushCertSignature", new NSString(Base64.getEncoder().encodeToString(signature)));
        return Base64.getEncoder().encodeToString(plist.toXMLPropertyList().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a {@code push.b64} and verifies its signature with the first certificate of its chain.
     *
     * @throws MalformedDataException         if the file is not a push request
     * @throws SignatureVerificationException if the signature is not the vendor's over the CSR
     */
    public static PushRequest verify(String pushB64) throws CryptoException {
        Limits.check("push.b64", pushB64.length(), Limits.MAX_ENCODED);
        NSDictionary dict;
        byte[] csr;
        byte[] signature;
        List<X509Certificate> chain;
        try {
            byte[] xml = Base64.getMimeDecoder().decode(pushB64.trim());
            NSObject parsed = PropertyListParser.parse(xml);
            if (!(parsed instanceof NSDictionary d)) {
                throw new MalformedDataException("push.b64 is not a plist dictionary");
            }
            dict = d;
            csr = Base64.getMimeDecoder().decode(string(dict, "PushCertRequestCSR"));
            signature = Base64.getMimeDecoder().decode(string(dict, "PushCertSignature"));
            chain = new ArrayList<>(Certificates.parseChain(string(dict, "PushCertCertificateChain")));
        } catch (MalformedDataException | OversizedInputException e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedDataException("push.b64 is not a valid push certificate request", e);
        }
        Csrs.requireAcceptableKey(Csrs.publicKey(Csrs.parse(csr)));
        try {
            Signature s = Signature.getInstance("SHA256withRSA", Bc.PROVIDER);
            s.initVerify(chain.get(0).getPublicKey());
            s.update(csr);
            if (!s.verify(signature)) {
                throw new SignatureVerificationException("PushCertSignature does not verify with the vendor certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new SignatureVerificationException("PushCertSignature cannot be verified", e);
        }
        return new PushRequest(csr, List.copyOf(chain), signature);
    }

    private static String string(NSDictionary dict, String key) throws MalformedDataException {
        NSObject o = dict.get(key);
        if (!(o instanceof NSString s)) {
            throw new MalformedDataException("push.b64 lacks the string " + key);
        }
        return s.getContent();
    }
}
