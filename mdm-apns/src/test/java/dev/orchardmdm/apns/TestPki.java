package dev.orchardmdm.apns;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates: a CA standing in for Apple's push CA and APNs' server CA, a server certificate for
 * 127.0.0.1/localhost, MDM push certificates (RSA 2048, subject UID = topic, like Apple's) and a rogue one.
 */
final class TestPki {
    final KeyPair caKeys;
    final X509Certificate ca;
    final KeyPair serverKeys;
    final X509Certificate server;
    private final AtomicLong serial = new AtomicLong(System.nanoTime());

    TestPki() throws Exception {
        caKeys = ec();
        ca = sign(new X500Name("CN=Orchard Test Apple CA"), caKeys, new X500Name("CN=Orchard Test Apple CA"),
                caKeys, true, false, Duration.ofDays(30));
        serverKeys = ec();
        server = sign(new X500Name("CN=api.push.apple.com"), serverKeys, new X500Name("CN=Orchard Test Apple CA"),
                caKeys, false, true, Duration.ofDays(30));
    }

    /** A push certificate issued by the test CA, with a fresh RSA key. */
    PushCredentials pushCredentials(String topic) throws Exception {
        return pushCredentials(topic, caKeys, Duration.ofDays(365));
    }

    /** A push certificate for {@code topic} signed by a CA the servers do not trust (EC key: quicker to make). */
    PushCredentials roguePushCredentials(String topic) throws Exception {
        return pushCredentials(topic, ec(), ec(), Duration.ofDays(365));
    }

    private PushCredentials pushCredentials(String topic, KeyPair issuer, Duration validity) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return pushCredentials(topic, rsa.generateKeyPair(), issuer, validity);
    }

    private PushCredentials pushCredentials(String topic, KeyPair keys, KeyPair issuer, Duration validity)
            throws Exception {
        X509Certificate cert = sign(new X500Name("UID=" + topic + ",CN=APSP:" + UUID.randomUUID() + ",C=US"), keys,
                new X500Name("CN=Orchard Test Apple CA"), issuer, false, false, validity);
        return PushCredentials.of(cert, keys.getPrivate());
    }

    static String newTopic() {
        return "com.apple.mgmt.External." + UUID.randomUUID();
    }

    /** Trusts the test CA: what a client needs to accept the local servers. */
    X509TrustManager trustManager() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** TLS for a local server: presents the server certificate, verifies clients against the test CA. */
    SSLSocketFactory serverSocketFactory() throws Exception {
        char[] password = "test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", serverKeys.getPrivate(), password, new Certificate[] {server, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {trustManager()}, null);
        return context.getSocketFactory();
    }

    /** The test CA as PEM, for Pushy's {@code setTrustedClientCertificateChain}. */
    InputStream caPem() throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }

    PrivateKey serverKey() {
        return serverKeys.getPrivate();
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                 boolean isCa, boolean localhost, Duration validity) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(serial.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(validity)), subject, subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (localhost) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
