package dev.orchardmdm.dep.swupdate;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * TLS trust limited to Apple's root certificate ("Apple Root CA", bundled with this module), for Apple services whose
 * server certificates chain to it (such as {@code gdmf.apple.com}). A server presenting any other chain is refused,
 * whatever the JDK's default trust store holds.
 */
public final class AppleRootTrust {

    /** The bundled resource: Apple Root CA, valid until 2035-02-09. */
    public static final String RESOURCE = "/dev/orchardmdm/dep/swupdate/AppleIncRootCertificate.pem";

    private final X509Certificate root;
    private final X509TrustManager trustManager;
    private final SSLContext sslContext;

    /** Loads the bundled Apple Root CA. */
    public AppleRootTrust() {
        try (InputStream in = AppleRootTrust.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("apple-root-ca", root);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            X509TrustManager found = null;
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    found = x509;
                }
            }
            if (found == null) {
                throw new IllegalStateException("no X509TrustManager available");
            }
            trustManager = found;
            sslContext = SSLContext.getInstance("TLS");
            sslContext.init(null, new TrustManager[] {trustManager}, null);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the bundled Apple Root CA", e);
        }
    }

    /** The Apple Root CA certificate. */
    public X509Certificate rootCertificate() {
        return root;
    }

    /** A trust manager that trusts only the Apple Root CA. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** Makes {@code builder}'s connections trust only the Apple Root CA. */
    public OkHttpClient.Builder apply(OkHttpClient.Builder builder) {
        return builder.sslSocketFactory(sslContext.getSocketFactory(), trustManager);
    }
}
