package dev.orchardmdm.dep.swupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.dep.AbmApiException;
import dev.orchardmdm.dep.AbmTransportException;
import dev.orchardmdm.dep.support.Fixtures;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SoftwareUpdateCatalogClientTest {

    private static KeyPair keyPair;
    private static X509Certificate localCertificate;
    private MockWebServer server;

    @BeforeAll
    static void makeLocalCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        keyPair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        localCertificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
    }

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private void serveFixtureOverTls() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("localhost", keyPair.getPrivate(), "pw".toCharArray(), new X509Certificate[] {localCertificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        server.useHttps(context.getSocketFactory(), false);
        server.enqueue(fixture());
        server.start();
    }

    private static MockResponse fixture() {
        return new MockResponse().setHeader("Content-Type", "application/json")
                .setBody(new Buffer().write(Fixtures.bytes("software_lookup_service_response.json")));
    }

    @Test
    void fetchesAndParsesTheCatalog() throws Exception {
        server.enqueue(fixture());
        server.start();
        SoftwareUpdateCatalog catalog = SoftwareUpdateCatalogClient.builder().url(server.url("/v2/pmv"))
                .httpClient(new OkHttpClient()).build().fetch();
        assertThat(catalog.releases()).hasSize(12);
        assertThat(server.takeRequest().getPath()).isEqualTo("/v2/pmv");
    }

    @Test
    void anErrorStatusIsTyped() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(404));
        server.start();
        assertThatThrownBy(() -> SoftwareUpdateCatalogClient.builder().url(server.url("/v2/pmv"))
                .httpClient(new OkHttpClient()).build().fetch()).isInstanceOf(AbmApiException.class);
    }

    @Test
    void theBundledRootIsApples() throws Exception {
        AppleRootTrust trust = new AppleRootTrust();
        byte[] der = trust.rootCertificate().getEncoded();
        assertThat(HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der)))
                .isEqualTo("B0B1730ECBC7FF4505142C49F1295E6EDA6BCAED7E2C68C5BE91B5A11001F024");
        assertThat(trust.trustManager().getAcceptedIssuers()).containsExactly(trust.rootCertificate());
    }

    @Test
    void byDefaultOnlyAnAppleRootedServerIsTrusted() throws Exception {
        serveFixtureOverTls();
        // the default client trusts the Apple Root CA only: the local certificate is refused
        assertThatThrownBy(() -> SoftwareUpdateCatalogClient.builder().url(server.url("/v2/pmv")).build().fetch())
                .isInstanceOf(AbmTransportException.class)
                .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
                .cause().isInstanceOf(SSLHandshakeException.class);
        // control: the same server is fine for a client that trusts its certificate
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("local", localCertificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
        OkHttpClient trusting = new OkHttpClient.Builder().sslSocketFactory(context.getSocketFactory(), tm).build();
        server.enqueue(fixture());
        assertThat(SoftwareUpdateCatalogClient.builder().url(server.url("/v2/pmv")).httpClient(trusting).build()
                .fetch().releases()).hasSize(12);
    }
}
