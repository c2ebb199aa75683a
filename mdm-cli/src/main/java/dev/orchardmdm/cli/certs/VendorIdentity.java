package dev.orchardmdm.cli.certs;

import dev.orchardmdm.cli.CliException;
import dev.orchardmdm.cli.Passwords;
import dev.orchardmdm.cli.Terminal;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.KeyMismatchException;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.push.PushCsrSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;

/** The MDM vendor's key ({@code vendor.key}) and certificate ({@code vendor.crt}) of a working directory. */
record VendorIdentity(PrivateKey key, X509Certificate certificate) {
    static final String KEY = "vendor.key";
    static final String CSR = "vendor.csr";
    static final String CERTIFICATE = "vendor.crt";

    /**
     * Checks that {@code dir} holds {@code vendor.key} and a readable {@code vendor.crt}, before any
     * password is asked.
     */
    static X509Certificate checkFiles(Path dir, Clock clock) throws CliException {
        if (!Files.isDirectory(dir)) {
            throw new CliException("the working directory " + dir + " does not exist; start with: mdm mdmcerts -d "
                    + dir + " init");
        }
        if (!Files.isRegularFile(dir.resolve(KEY))) {
            throw new CliException(dir.resolve(KEY) + " is missing; start with: mdm mdmcerts -d " + dir + " init");
        }
        Path crtPath = dir.resolve(CERTIFICATE);
        if (!Files.isRegularFile(crtPath)) {
            throw new CliException(crtPath + " is missing: upload " + dir.resolve(CSR) + " to the Apple Developer"
                    + " portal (Certificates > + > MDM CSR), download the certificate Apple issues and save it as "
                    + crtPath + " (DER or PEM)");
        }
        X509Certificate certificate;
        try {
            certificate = Certificates.parse(Files.readAllBytes(crtPath));
        } catch (CryptoException e) {
            throw new CliException(crtPath + " is not a certificate (DER or PEM): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException("cannot read " + crtPath + ": " + e.getMessage(), e);
        }
        try {
            certificate.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            throw new CliException(crtPath + " expired on " + certificate.getNotAfter().toInstant()
                    + "; request a new MDM vendor certificate from Apple with " + dir.resolve(CSR), e);
        } catch (CertificateNotYetValidException e) {
            throw new CliException(crtPath + " is not valid before " + certificate.getNotBefore().toInstant(), e);
        }
        return certificate;
    }

    /**
     * Decrypts {@code vendor.key} with the password from {@code passwords} and checks that it is the
     * key of {@code certificate}.
     */
    static VendorIdentity unlock(Path dir, X509Certificate certificate, Passwords passwords, Terminal terminal)
            throws CliException {
        Path keyPath = dir.resolve(KEY);
        byte[] encoded;
        try {
            encoded = Files.readAllBytes(keyPath);
        } catch (IOException e) {
            throw new CliException("cannot read " + keyPath + ": " + e.getMessage(), e);
        }
        char[] password = passwords.existing(terminal);
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(encoded, password);
        } catch (DecryptionException e) {
            throw new CliException("wrong password for " + keyPath + "; nothing was written", e);
        } catch (CryptoException e) {
            throw new CliException(keyPath + " is not a private key: " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
        try {
            Certificates.checkKeyMatches(certificate, key);
        } catch (KeyMismatchException e) {
            throw new CliException(dir.resolve(CERTIFICATE) + " does not match " + keyPath + ": it was issued for"
                    + " another key (subject " + certificate.getSubjectX500Principal().getName()
                    + "); nothing was written", e);
        }
        return new VendorIdentity(key, certificate);
    }

    /**
     * The vendor-signed push request ({@code push.b64} contents) for a push CSR, by mdm-crypto's
     * {@link PushCsrSigner}: the CSR, the chain vendor certificate, Apple WWDR CA G3, Apple Root CA,
     * and the vendor's SHA-256 RSA signature of the DER CSR.
     */
    byte[] signPushCsr(byte[] csr) throws CliException {
        try {
            return new PushCsrSigner(KeyAndChain.of(key, certificate)).sign(csr)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        } catch (CryptoException e) {
            throw new CliException("cannot sign the push certificate request: " + e.getMessage()
                    + "; nothing was written", e);
        }
    }
}
