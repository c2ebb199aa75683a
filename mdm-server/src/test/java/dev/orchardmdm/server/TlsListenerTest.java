package dev.orchardmdm.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.server.config.ConfigException;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.tls}: the listener serves HTTPS with the configured PEM certificate and key. */
class TlsListenerTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsWithTheConfiguredCertificate() throws Exception {
        TestPki pki = TestPki.create("TLS test CA");
        java.security.KeyPair kp = dev.orchardmdm.crypto.keys.KeyPairs.rsa(2048);
        java.security.cert.X509Certificate cert = new dev.orchardmdm.crypto.keys.CertificateBuilder("CN=localhost",
                kp.getPublic()).validFor(java.time.Duration.ofDays(1))
                .keyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature
                        | org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment)
                .extendedKeyUsage(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth)
                .issuedBy(pki.certificate(), pki.ca().privateKey());
        KeyAndChain server = new KeyAndChain(kp.getPrivate(), List.of(cert, pki.certificate()));
        Files.writeString(dir.resolve("server.pem"), Pem.certificates(server.chain()));
        Files.writeString(dir.resolve("server.key"), Pem.privateKey(server.privateKey()));
        Files.writeString(dir.resolve("orchard.json"), "{\"server\": {\"listen\": \"127.0.0.1:0\", \"tls\":"
                + " {\"certificate\": \"{{ file:server.pem }}\", \"private_key\": \"{{ file:server.key }}\"}},"
                + " \"push\": {\"enabled\": false}, \"schedule\": {\"enabled\": false}}");
        ServerConfig config = new ConfigLoader(n -> null, dir).load(dir.resolve("orchard.json"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (ServerContext ctx = ServerContext.open(config);
             OrchardServer s = OrchardServer.start(ctx, RouteModules.all())) {
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + s.port()
                    + "/public/mdm/scep?operation=GetCACaps")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("POSTPKIOperation");
        }
    }

    @Test
    void aKeyOfAnotherCertificateNamesTheKey() throws Exception {
        TestPki pki = TestPki.create("TLS test CA 2");
        KeyAndChain a = pki.issueDevice("a", null, null);
        KeyAndChain b = pki.issueDevice("b", null, null);
        Files.writeString(dir.resolve("a.pem"), Pem.certificates(List.of(a.certificate())));
        Files.writeString(dir.resolve("b.key"), Pem.privateKey(b.privateKey()));
        Files.writeString(dir.resolve("orchard.json"), "{\"server\": {\"listen\": \"127.0.0.1:0\", \"tls\":"
                + " {\"certificate\": \"{{ file:a.pem }}\", \"private_key\": \"{{ file:b.key }}\"}},"
                + " \"push\": {\"enabled\": false}, \"schedule\": {\"enabled\": false}}");
        ServerConfig config = new ConfigLoader(n -> null, dir).load(dir.resolve("orchard.json"));
        try (ServerContext ctx = ServerContext.open(config)) {
            assertThatThrownBy(() -> new ServerServices(ctx)).isInstanceOfSatisfying(ConfigException.class,
                    e -> assertThat(e.key()).isEqualTo("server.tls.private_key"));
        }
    }
}
